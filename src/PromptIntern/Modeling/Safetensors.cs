using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PromptIntern.Data;
using static TorchSharp.torch;

namespace PromptIntern.Modeling;

/// <summary>The safetensors file format (8-byte little-endian header length, JSON header, raw little-endian tensor data), read and written without Python.</summary>
public static class Safetensors
{
    static readonly Dictionary<string, ScalarType> DTypes = new()
    {
        ["F32"] = ScalarType.Float32, ["BF16"] = ScalarType.BFloat16, ["F16"] = ScalarType.Float16,
        ["I64"] = ScalarType.Int64, ["I32"] = ScalarType.Int32, ["U8"] = ScalarType.Byte,
    };

    static string DTypeName(ScalarType t) => DTypes.FirstOrDefault(kv => kv.Value == t).Key
        ?? throw new NotSupportedException($"safetensors: tensor dtype {t} is not supported (F32, BF16, F16, I64, I32, U8).");

    /// <summary>One tensor's entry in the header.</summary>
    public sealed record Entry(string Name, ScalarType DType, long[] Shape, long Begin, long End);

    /// <summary>Reads the header only: tensor names, dtypes, shapes, and the file's metadata.</summary>
    public static (IReadOnlyList<Entry> Entries, IReadOnlyDictionary<string, string> Metadata, long DataStart) ReadHeader(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"safetensors file not found: {path}", path);
        using var f = File.OpenRead(path);
        Span<byte> len = stackalloc byte[8];
        if (f.Read(len) != 8) throw new InvalidDataException($"{path}: not a safetensors file (shorter than its 8-byte header length).");
        var n = BinaryPrimitives.ReadUInt64LittleEndian(len);
        if (n == 0 || n > (ulong)(f.Length - 8) || n > 100_000_000)
            throw new InvalidDataException($"{path}: corrupt safetensors header length {n} (file has {f.Length} bytes).");
        var header = new byte[n];
        f.ReadExactly(header);
        JsonObject root;
        try { root = JsonNode.Parse(header)?.AsObject() ?? throw new InvalidDataException($"{path}: empty safetensors header."); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: corrupt safetensors header JSON: {e.Message}", e); }
        long dataStart = 8 + (long)n, dataLen = f.Length - dataStart;
        var entries = new List<Entry>();
        var meta = new Dictionary<string, string>();
        foreach (var (name, node) in root)
        {
            if (name == "__metadata__")
            {
                foreach (var (k, v) in node!.AsObject()) meta[k] = v?.GetValue<string>() ?? "";
                continue;
            }
            try
            {
                var o = node!.AsObject();
                var dt = o["dtype"]!.GetValue<string>();
                if (!DTypes.TryGetValue(dt, out var type)) throw new InvalidDataException($"{path}: tensor '{name}': unsupported dtype {dt}.");
                var shape = o["shape"]!.AsArray().Select(x => x!.GetValue<long>()).ToArray();
                var offs = o["data_offsets"]!.AsArray().Select(x => x!.GetValue<long>()).ToArray();
                var bytes = shape.Aggregate(1L, (a, b) => a * b) * ElementSize(type);
                if (offs.Length != 2 || offs[0] < 0 || offs[1] > dataLen || offs[1] - offs[0] != bytes)
                    throw new InvalidDataException($"{path}: tensor '{name}': data_offsets [{string.Join(",", offs)}] do not fit shape [{string.Join(",", shape)}] {dt} within {dataLen} data bytes (truncated or corrupt file).");
                entries.Add(new Entry(name, type, shape, offs[0], offs[1]));
            }
            catch (Exception e) when (e is not InvalidDataException)
            {
                throw new InvalidDataException($"{path}: tensor '{name}': malformed header entry ({e.Message}).", e);
            }
        }
        return (entries, meta, dataStart);
    }

    /// <summary>Loads every tensor (on CPU, in the file's dtype).</summary>
    public static Dictionary<string, Tensor> Load(string path) => ReadEach(path).ToDictionary(x => x.Name, x => x.Tensor);

    /// <summary>The file's tensors one at a time (on CPU, in the file's dtype), so that a loader holds at most one besides the model.</summary>
    public static IEnumerable<(string Name, Tensor Tensor)> ReadEach(string path)
    {
        var (entries, _, dataStart) = ReadHeader(path);
        using var f = File.OpenRead(path);
        foreach (var e in entries)
        {
            var buffer = new byte[e.End - e.Begin];
            f.Position = dataStart + e.Begin;
            f.ReadExactly(buffer);
            var t = empty(e.Shape, e.DType);
            if (buffer.Length > 0) t.bytes = buffer;
            yield return (e.Name, t);
        }
    }

    /// <summary>Writes tensors (any device; stored contiguous on CPU) atomically, names sorted, with optional string metadata.</summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new JsonObject();
        if (metadata is { Count: > 0 }) header["__metadata__"] = new JsonObject(metadata.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))));
        long offset = 0;
        var ordered = tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        foreach (var (name, t) in ordered)
        {
            var bytes = t.numel() * ElementSize(t.dtype);
            header[name] = new JsonObject
            {
                ["dtype"] = DTypeName(t.dtype),
                ["shape"] = new JsonArray(t.shape.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
                ["data_offsets"] = new JsonArray(JsonValue.Create(offset), JsonValue.Create(offset + bytes)),
            };
            offset += bytes;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var padded = (json.Length + 7) / 8 * 8; // the format pads the header with spaces to 8-byte alignment
        AtomicFile.Write(path, tmp =>
        {
            using var f = File.Create(tmp);
            Span<byte> len = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)padded);
            f.Write(len);
            f.Write(json);
            for (int i = json.Length; i < padded; i++) f.WriteByte((byte)' ');
            foreach (var (_, t) in ordered)
            {
                using var cpu = t.detach().contiguous().cpu();
                if (cpu.numel() > 0) f.Write(cpu.bytes);
            }
        });
    }

    static long ElementSize(ScalarType t) => t switch
    {
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.BFloat16 or ScalarType.Float16 => 2,
        ScalarType.Int64 => 8,
        ScalarType.Byte => 1,
        _ => throw new NotSupportedException($"safetensors: dtype {t} is not supported."),
    };
}
