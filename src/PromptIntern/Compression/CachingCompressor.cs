using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace PromptIntern.Compression;

/// <summary>The kit's one compression cache: remembers results by (method, model, keep rate or budget, hash of the request),
/// in memory and optionally as JSON files in a directory, so a template compressed once per stage (every stage, every
/// query of a curriculum) is never compressed again.</summary>
public sealed class CachingCompressor(IPromptCompressor inner, string modelName, string? diskDir = null) : IPromptCompressor
{
    readonly ConcurrentDictionary<string, CompressionResult> _memory = new();

    public string Name => inner.Name;

    int _hits;

    public int Hits => _hits;

    public CompressionResult Compress(CompressionRequest request)
    {
        var key = Key(request);
        if (_memory.TryGetValue(key, out var hit)) { Interlocked.Increment(ref _hits); return hit; }
        var path = diskDir == null ? null : Path.Combine(diskDir, key + ".json");
        if (path != null && File.Exists(path))
        {
            var stored = JsonSerializer.Deserialize<Stored>(File.ReadAllText(path));
            if (stored != null) { Interlocked.Increment(ref _hits); return _memory[key] = stored.ToResult(); }
        }
        var result = inner.Compress(request);
        _memory[key] = result;
        if (path != null)
        {
            Directory.CreateDirectory(diskDir!);
            Data.AtomicFile.WriteAllText(path, JsonSerializer.Serialize(Stored.From(result)));
        }
        return result;
    }

    /// <summary>"method-model-rate-hash": readable, and unique for everything that changes the output.</summary>
    public string Key(CompressionRequest r)
    {
        var sb = new StringBuilder();
        void Field(string s) => sb.Append(s.Length).Append(':').Append(s).Append('|');
        Field(r.Instruction); Field(r.Question); Field(r.Contexts.Count.ToString());
        foreach (var c in r.Contexts) Field(c);
        foreach (var f in r.ForceKeep) Field(f);
        // The readable budget below is rounded; the exact keep rate and every other output-changing field go into the hash.
        Field(string.Create(CultureInfo.InvariantCulture, $"{r.Seed}/{r.CompressInstruction}/{r.QuestionInPrompt}/{r.InputPricePerMillionTokens}/{r.KeepRate:R}"));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())))[..16];
        var budget = r.TargetTokens is { } t ? $"t{t}" : $"r{r.KeepRate:0.####}";
        var model = new string(modelName.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '_').ToArray());
        return $"{inner.Name}-{model}-{budget}-{hash}";
    }

    sealed record Stored(string CompressedPrompt, int OriginTokens, int CompressedTokens, string Tokenizer, string Method, double KeepRate,
        int TargetTokens, double? Saving, string OriginalPrompt, List<int[]> Spans, double ElapsedMs)
    {
        public static Stored From(CompressionResult r) => new(r.CompressedPrompt, r.OriginTokens, r.CompressedTokens, r.Tokenizer, r.Method,
            r.KeepRate, r.TargetTokens, r.Saving, r.OriginalPrompt, r.Spans.Select(s => new[] { s.Start, s.Length, s.Kept ? 1 : 0 }).ToList(),
            r.Elapsed.TotalMilliseconds);

        public CompressionResult ToResult() => new()
        {
            CompressedPrompt = CompressedPrompt, OriginTokens = OriginTokens, CompressedTokens = CompressedTokens, Tokenizer = Tokenizer,
            Method = Method, KeepRate = KeepRate, TargetTokens = TargetTokens, Saving = Saving, OriginalPrompt = OriginalPrompt,
            Spans = Spans.Select(s => new CompressionSpan(s[0], s[1], s[2] == 1)).ToList(), Elapsed = TimeSpan.FromMilliseconds(ElapsedMs),
        };
    }
}
