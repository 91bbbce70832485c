using System.Buffers.Binary;
using PromptIntern.Data;

namespace PromptIntern.Tests.Cli;

/// <summary>The damaged files the bad-input battery feeds the CLI, written once into a temp folder: broken model folders,
/// a truncated metrics.json, two bases with no experiment in common, an oversized row, an empty data folder, a file where a folder is expected.</summary>
public sealed class BadInputFiles : IDisposable
{
    readonly TempDir _temp = new();

    public string Root => _temp.Path;

    public BadInputFiles()
    {
        var tiny = Path.Combine(KitPaths.Data, "models", "tiny");
        var weights = Path.Combine(tiny, "model.safetensors");
        string Model(string name, Action<string> damage, string? config = null)
        {
            var dir = Directory.CreateDirectory(Path.Combine(Root, name)).FullName;
            foreach (var f in new[] { "config.json", "tokenizer.json", "tokenizer_config.json", "vocab.json", "merges.txt" })
                File.Copy(Path.Combine(tiny, f), Path.Combine(dir, f));
            if (config is not null) File.WriteAllText(Path.Combine(dir, "config.json"), config);
            damage(Path.Combine(dir, "model.safetensors"));
            return dir;
        }
        var realConfig = File.ReadAllText(Path.Combine(tiny, "config.json"));
        Model("zero-byte-model", p => File.WriteAllBytes(p, []));
        Model("corrupt-header-model", p => File.WriteAllBytes(p, [.. BitConverter.GetBytes(9L), .. "{not json"u8.ToArray()]));
        Model("truncated-model", p =>
        {
            using var src = File.OpenRead(weights);
            var len = new byte[8];
            src.ReadExactly(len);
            var keep = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(len) + 1000;
            var bytes = new byte[keep];
            src.Position = 0;
            src.ReadExactly(bytes);
            File.WriteAllBytes(p, bytes);
        });
        Model("bad-config-model", p => File.CreateSymbolicLink(p, weights), realConfig.Replace("\"hidden_size\": 192", "\"hidden_size\": -192"));
        Model("shape-mismatch-model", p => File.CreateSymbolicLink(p, weights), realConfig.Replace("\"intermediate_size\": 512", "\"intermediate_size\": 256"));

        Directory.CreateDirectory(Path.Combine(Root, "not-a-model"));
        Directory.CreateDirectory(Path.Combine(Root, "empty-data"));
        File.WriteAllText(Path.Combine(Root, "a-file"), "a file where a folder is expected");
        var results = Directory.CreateDirectory(Path.Combine(Root, "results-truncated", "quick-x")).FullName;
        File.WriteAllText(Path.Combine(results, "metrics.json"), "{\"result\": {\"id\": \"quick-x\", \"task\": ");
        File.WriteAllText(Path.Combine(Root, "huge-row.jsonl"),
            $"{{\"id\": \"a\", \"query\": \"{new string('x', JsonlDataset.MaxRowBytes + 10)}\", \"answer\": \"ls\"}}\n");
        File.WriteAllText(Path.Combine(Root, "truncated.jsonl"), "{\"id\": \"a\", \"query\": \"list files\", \"answer\": \"ls\"}\n{\"id\": \"b\", \"que");
        File.WriteAllText(Path.Combine(Root, "preds.jsonl"), "{\"id\": \"nl2bash-00018\", \"prediction\": \"ls\"}\n");
        File.WriteAllBytes(Path.Combine(Root, "bad-utf8.jsonl"), [.. "{\"id\": \"nl2bash-00018\", \"prediction\": \"ls "u8.ToArray(), 0xFF, 0xFE, .. "\"}\n"u8.ToArray()]);
        File.WriteAllText(Path.Combine(Root, "bad-plan.json"), "{\"name\": \"x\", \"stages\": [");
        // Two bases whose finished experiments share no (train rows, method) row.
        var disjoint = Path.Combine(Root, "experiments-disjoint");
        UserTasks.ReproducedExperiments.Write(disjoint, "base-x", "query-only", 1, 1000, 10, [10, 20], 12.0);
        UserTasks.ReproducedExperiments.Write(disjoint, "base-y", "promptintern", 1, 1000, 10, [10, 20], 11.0);
    }

    /// <summary>Every file under <see cref="Root"/> with its size and write time, to show a failed verb left nothing behind.</summary>
    public IReadOnlyList<string> Snapshot() =>
        Directory.EnumerateFileSystemEntries(Root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(p => $"{p}|{(File.Exists(p) ? new FileInfo(p).Length : -1)}|{File.GetLastWriteTimeUtc(p).Ticks}").ToList();

    public void Dispose() => _temp.Dispose();
}
