using PromptIntern.Data;
using PromptIntern.Experiments;
using PromptIntern.Modeling;
using PromptIntern.Text;
using Xunit;
using static PromptIntern.Tests.Modeling.ModelingTestHelpers;

namespace PromptIntern.Tests.Experiments;

public class ReproductionTests
{
    /// <summary>A micro model (byte tokenizer) and a tiny nl2bash-shaped dataset, and options that run one method on them.</summary>
    static ReproductionOptions Micro(string workspace, bool force = false)
    {
        var dir = TempDir();
        using (var lm = CausalLanguageModel.Create(LlamaConfig.Micro with { MaxSeqLen = 1024 }, new ByteTokenizer(), seed: 2))
            lm.Save(Path.Combine(dir, "model"));
        var rows = Enumerable.Range(0, 12).Select(i => new TaskExample($"b{i:00}", $"show the first {i} lines of log{i}.txt", $"head -n {i} log{i}.txt")).ToList();
        JsonlDataset.Save(Path.Combine(dir, "train.jsonl"), rows.Take(10));
        JsonlDataset.Save(Path.Combine(dir, "dev.jsonl"), rows.Skip(10));
        return new ReproductionOptions
        {
            Preset = ReproducePreset.Quick with { TrainRows = 8, EvalRows = 2, TemplateTokenCap = 24, Epochs = 1, MicroBatchSize = 4, MaxSeqLength = 512, MaxNewTokens = 4, LatencyQueries = 1, Methods = ["query-only"] },
            Workspace = workspace, ModelDirectory = Path.Combine(dir, "model"), TrainFile = Path.Combine(dir, "train.jsonl"), EvalFile = Path.Combine(dir, "dev.jsonl"), Force = force,
        };
    }

    [Fact]
    public void Run_WritesIntoTheWorkspace_SkipsWhatFinishedThere_AndForceRetrains()
    {
        var workspace = TempDir();
        var options = Micro(workspace);
        var first = Reproduction.Run(options);
        var id = Assert.Single(Reproduction.Ids(options));
        Assert.Equal(id, Assert.Single(first.Results).Id);
        Assert.True(File.Exists(Path.Combine(workspace, "experiments", id, "metrics.json")));
        var done = Directory.EnumerateFiles(Path.Combine(workspace, "train"), "*.json", SearchOption.AllDirectories).First(f => f.Contains("stage-1"));
        var trained = File.GetLastWriteTimeUtc(done);

        var again = Reproduction.Run(options);
        Assert.Equal(1, again.Reused);
        Assert.Equal(trained, File.GetLastWriteTimeUtc(done));

        Thread.Sleep(20);
        var forced = Reproduction.Run(options with { Force = true });
        Assert.Equal(0, forced.Reused);
        Assert.True(File.GetLastWriteTimeUtc(done) > trained, "forced run retrained the plan");
        Assert.Equal(first.Results[0].Metrics, forced.Results[0].Metrics);
    }

    [Fact]
    public void Publish_CopiesTheRunIntoResults_UnderItsSuiteName()
    {
        var options = Micro(TempDir());
        var run = Reproduction.Run(options);
        Reproduction.WriteSuite(run, Reproduction.SuiteDirectory(options));
        var results = TempDir();
        var suite = Reproduction.Publish(run, results);
        Assert.True(File.Exists(Path.Combine(results, "experiments", run.Results[0].Id, "metrics.json")));
        Assert.True(File.Exists(Path.Combine(suite, "table.md")) && File.Exists(Path.Combine(suite, "run.json")));
        Assert.Single(Reproduction.Finished(options, Path.Combine(results, "experiments")));
    }

    [Fact]
    public void SuiteName_IsThePresetsOnlyForThePresetAsItIs()
    {
        var quick = new ReproductionOptions { Preset = ReproducePreset.Quick, Workspace = "w" };
        Assert.Equal("quick", quick.SuiteName);
        var mbpp = quick with { Preset = ReproducePreset.Quick with { Tasks = [TaskName.Mbpp] } };
        Assert.StartsWith("quick-mbpp-s1337x1-", mbpp.SuiteName);
        Assert.NotEqual(mbpp.SuiteName, (quick with { Preset = ReproducePreset.Quick with { EvalRows = 5 } }).SuiteName);
        Assert.NotEqual("quick", (quick with { Seeds = 3 }).SuiteName);
    }

    [Fact]
    public void Headline_IsTheCommittedQuickRun_AsReproducePrintsIt()
    {
        var headline = KitReport.Headline(KitPaths.Experiments);
        Assert.Contains("| method | ours | paper |", headline);
        foreach (var method in ReproducePreset.Quick.Methods) Assert.Contains($"| {method} |", headline);
        var readme = File.ReadAllText(Path.Combine(KitPaths.Root, "README.md"));
        Assert.Contains(headline.Trim(), readme);
    }

    [Fact]
    public void Grid_ReadsTaskMethodsSeeds_NamesTheLineOfAnError_AndStartsNoLineAfterTheDeadline()
    {
        var dir = TempDir();
        var good = Path.Combine(dir, "grid.txt");
        File.WriteAllText(good, "# comment\nnl2bash  full-prompt,promptintern  1337 1\n\nmbpp query-only 1338 2  # trailing\n");
        var lines = ReproductionGrid.Load(good);
        Assert.Equal([new GridLine("nl2bash", ["full-prompt", "promptintern"], 1337, 1), new GridLine("mbpp", ["query-only"], 1338, 2)],
            lines, (a, b) => a.Task == b.Task && a.Methods.SequenceEqual(b.Methods) && a.FirstSeed == b.FirstSeed && a.Seeds == b.Seeds);
        var bad = Path.Combine(dir, "bad.txt");
        File.WriteAllText(bad, "nl2bash full-prompt 1337 1\nnl2bash fullprompt 1337 1\n");
        var e = Assert.Throws<DataFormatException>(() => ReproductionGrid.Load(bad));
        Assert.Equal((2, "methods"), (e.Line, e.Field));
        Assert.Empty(ReproductionGrid.Run(Micro(TempDir()), lines, stopAfter: DateTime.UtcNow.AddSeconds(-1)));
    }
}
