using PromptIntern.Data;
using PromptIntern.Evaluation;
using PromptIntern.Provenance;
using Xunit;

namespace PromptIntern.Tests.Data;

public class AtomicFolderTests
{
    [Fact]
    public async Task Write_ManyWritersOneFolder_EveryOneSucceedsAndTheFolderIsAlwaysWhole()
    {
        using var temp = new TempDir();
        var root = temp.Path;
        var target = Path.Combine(root, "run");
        using var stop = new CancellationTokenSource();
        int incomplete = 0, gaps = 0;
        // A reader that keeps looking: once the folder exists it never disappears, and it always holds both files.
        var reader = Task.Run(() =>
        {
            bool seen = false;
            while (!stop.IsCancellationRequested)
            {
                if (!Directory.Exists(target)) { if (seen) Interlocked.Increment(ref gaps); continue; }
                seen = true;
                if (!File.Exists(Path.Combine(target, "a.txt")) || !File.Exists(Path.Combine(target, "b.txt"))) Interlocked.Increment(ref incomplete);
            }
        });
        var writers = Enumerable.Range(0, 32).Select(i => Task.Run(() => AtomicFolder.Write(target, staging =>
        {
            File.WriteAllText(Path.Combine(staging, "a.txt"), $"writer {i}");
            Thread.Sleep(i % 3);
            File.WriteAllText(Path.Combine(staging, "b.txt"), $"writer {i}");
        }))).ToArray();
        await Task.WhenAll(writers);
        await stop.CancelAsync();
        await reader;

        Assert.Equal(0, incomplete);
        Assert.Equal(0, gaps);
        Assert.Equal(File.ReadAllText(Path.Combine(target, "a.txt")), File.ReadAllText(Path.Combine(target, "b.txt")));
        Assert.Equal(["run"], Directory.GetFileSystemEntries(root).Select(Path.GetFileName)); // no staging or old folders left
    }

    [Fact]
    public void Write_FillThrows_TargetKeepsItsFiles()
    {
        using var temp = new TempDir();
        var root = temp.Path;
        var target = Path.Combine(root, "run");
        AtomicFolder.Write(target, s => File.WriteAllText(Path.Combine(s, "summary.json"), "old"));
        Assert.Throws<IOException>(() => AtomicFolder.Write(target, s =>
        {
            File.WriteAllText(Path.Combine(s, "summary.json"), "half");
            throw new IOException("disk full");
        }));
        Assert.Equal("old", File.ReadAllText(Path.Combine(target, "summary.json")));
        Assert.Single(Directory.GetFileSystemEntries(root));
    }

    [Fact]
    public async Task EvaluationRecord_ParallelEvalsIntoOneFolder_AllSucceedWithACompleteRecord()
    {
        using var temp = new TempDir();
        var root = temp.Path;
        var refs = new List<TaskExample> { new("a", "list files", "ls"), new("b", "show dir", "pwd") };
        var dir = Path.Combine(root, "eval");
        var runs = Enumerable.Range(0, 16).Select(i => Task.Run(() =>
        {
            var report = TaskMetrics.For("nl2bash").Score(refs, [i % 2 == 0 ? "ls" : "cat", "pwd"]);
            return EvaluationRecord.Write(dir, report, RunProvenance.Capture(new Dictionary<string, object?> { ["round"] = i }));
        })).ToArray();
        await Task.WhenAll(runs);
        foreach (var f in new[] { "examples.jsonl", "summary.json", "summary.csv", "summary.md" })
            Assert.True(File.Exists(Path.Combine(dir, f)), f);
        Assert.Single(Directory.GetFileSystemEntries(root));
    }
}
