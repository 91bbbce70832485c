using System.Collections.Concurrent;
using System.IO.Compression;

namespace PromptIntern.Text;

/// <summary>The merge ranks (= token ids) of a tiktoken encoding, read from the Microsoft.ML.Tokenizers.Data package that
/// ships it (a deflated list of base64 tokens in rank order). The library keeps its own table internal; <see cref="RankedBpe"/> needs it.</summary>
public static class TiktokenRanks
{
    static readonly ConcurrentDictionary<string, Lazy<IReadOnlyDictionary<ReadOnlyMemory<byte>, int>>> Cache = new();

    public static IReadOnlyDictionary<ReadOnlyMemory<byte>, int> For(string encoding) =>
        Cache.GetOrAdd(encoding, e => new Lazy<IReadOnlyDictionary<ReadOnlyMemory<byte>, int>>(() => Load(e))).Value;

    static IReadOnlyDictionary<ReadOnlyMemory<byte>, int> Load(string encoding)
    {
        var assemblyName = encoding switch
        {
            CostTokenizer.O200kBase => "Microsoft.ML.Tokenizers.Data.O200kBase",
            CostTokenizer.Cl100kBase => "Microsoft.ML.Tokenizers.Data.Cl100kBase",
            _ => throw new ArgumentException($"no rank table for '{encoding}'"),
        };
        var resource = encoding + ".tiktoken.deflate";
        using var raw = System.Reflection.Assembly.Load(assemblyName).GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"{assemblyName} lacks its resource {resource}");
        using var reader = new StreamReader(new DeflateStream(raw, CompressionMode.Decompress));
        var ranks = new Dictionary<ReadOnlyMemory<byte>, int>(ByteContent.Instance);
        // A "Capacity: N" header, then one base64 token per line whose rank is its line number, or "token rank" where ranks skip.
        int rank = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith("Capacity:", StringComparison.Ordinal)) continue;
            int space = line.IndexOf(' ');
            if (space > 0) rank = int.Parse(line.AsSpan(space + 1), System.Globalization.CultureInfo.InvariantCulture);
            ranks[Convert.FromBase64String(space > 0 ? line[..space] : line)] = rank++;
        }
        return ranks;
    }

    /// <summary>Compares byte runs by content.</summary>
    sealed class ByteContent : IEqualityComparer<ReadOnlyMemory<byte>>
    {
        public static readonly ByteContent Instance = new();
        public bool Equals(ReadOnlyMemory<byte> x, ReadOnlyMemory<byte> y) => x.Span.SequenceEqual(y.Span);
        public int GetHashCode(ReadOnlyMemory<byte> m)
        {
            var h = new HashCode();
            h.AddBytes(m.Span);
            return h.ToHashCode();
        }
    }
}
