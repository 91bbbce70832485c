using System.Diagnostics;
using PromptIntern.Data;

namespace PromptIntern.Experiments;

/// <summary>What one reproduction runs (preset × tasks × methods × seeds on a base model) and where: a workspace that
/// holds <c>experiments/&lt;id&gt;/</c> (same layout as results/experiments) and <c>train/</c> (resumable checkpoints).</summary>
public sealed record ReproductionOptions
{
    public required ReproducePreset Preset { get; init; }
    /// <summary>The workspace (untracked; <c>runs/</c> by default in the CLI).</summary>
    public required string Workspace { get; init; }
    /// <summary>Base model folder; null = the preset's.</summary>
    public string? ModelDirectory { get; init; }
    public int FirstSeed { get; init; } = 1337;
    public int Seeds { get; init; } = 1;
    public string? TrainFile { get; init; }
    public string? EvalFile { get; init; }
    /// <summary>Retrain and re-evaluate everything, discarding what the workspace holds for these experiments.</summary>
    public bool Force { get; init; }
    /// <summary>Fine-tune on deterministic kernels only (see <see cref="ExperimentRunner.DeterministicTraining"/>).</summary>
    public bool Deterministic { get; init; }

    public string Model => Path.GetFullPath(ModelDirectory ?? Path.Combine(KitPaths.Root, Preset.Model));
    public string ExperimentsDirectory => Path.Combine(Workspace, "experiments");
    public string CheckpointsDirectory => Path.Combine(Workspace, "train");
    public IEnumerable<int> SeedRange => Enumerable.Range(FirstSeed, Seeds);

    /// <summary>The suite's folder name: the preset's name for the preset as it is, else one that names the tasks and
    /// seeds and hashes the settings, so a run of another task or size never overwrites the preset's table.</summary>
    public string SuiteName
    {
        get
        {
            var stock = ReproducePreset.Known.FirstOrDefault(p => p.Name == Preset.Name);
            bool defaults = stock is not null && System.Text.Json.JsonSerializer.Serialize(Preset) == System.Text.Json.JsonSerializer.Serialize(stock)
                && FirstSeed == 1337 && Seeds == 1;
            return defaults ? Preset.Name : $"{Preset.Name}-{string.Join("+", Preset.Tasks)}-s{FirstSeed}x{Seeds}-{ExperimentId.Hash(Preset)}";
        }
    }
}

/// <summary>Where a reproduction is: the task and seed, and the runner's phase inside it.</summary>
public sealed record ReproductionProgress(string Task, int Seed, int Done, int Total, ExperimentProgress Step);

/// <summary>What a reproduction produced: every experiment's result (run now or finished earlier in the workspace).</summary>
public sealed record ReproductionRun(ReproductionOptions Options, IReadOnlyList<ExperimentResult> Results, int Reused, TimeSpan Elapsed);

/// <summary>The main job as one library call, shared by the CLI, the GPU scripts and the notebooks: for each task and
/// seed, trains each plan once and evaluates every method on it (<see cref="ExperimentRunner"/>), in a workspace.</summary>
public static class Reproduction
{
    public static ReproductionRun Run(ReproductionOptions o, IProgress<ReproductionProgress>? progress = null)
    {
        var model = o.Model;
        if (!File.Exists(Path.Combine(model, "config.json")))
            throw new FileNotFoundException($"{model}: no base model here (config.json missing); pass --model DIR or build one with `promptintern pretrain`");
        var specs = o.Preset.Methods.Select(MethodCatalog.Get).ToList();
        var clock = Stopwatch.StartNew();
        var results = new List<ExperimentResult>();
        int reused = 0, done = 0, total = o.Preset.Tasks.Count * o.Seeds;
        foreach (var task in o.Preset.Tasks)
            foreach (var seed in o.SeedRange)
            {
                var step = progress is null ? null
                    : new Training.InlineProgress<ExperimentProgress>(x => progress.Report(new ReproductionProgress(task, seed, done, total, x)));
                var runner = Runner(o, step);
                results.AddRange(runner.Run(TaskSetup.Load(task, o.Preset, seed, o.TrainFile, o.EvalFile), specs, seed));
                reused += runner.Reused;
                done++;
            }
        return new ReproductionRun(o, results, reused, clock.Elapsed);
    }

    /// <summary>The experiment ids <see cref="Run"/> produces for <paramref name="o"/>, without running anything.</summary>
    public static IReadOnlyList<string> Ids(ReproductionOptions o)
    {
        var specs = o.Preset.Methods.Select(MethodCatalog.Get).ToList();
        return o.Preset.Tasks.SelectMany(task => o.SeedRange.SelectMany(seed =>
        {
            var setup = TaskSetup.Load(task, o.Preset, seed, o.TrainFile, o.EvalFile);
            var runner = Runner(o, null);
            return specs.Select(m => runner.IdFor(setup, m, seed));
        })).ToList();
    }

    /// <summary>The finished experiments under <paramref name="experimentsRoot"/> with <see cref="Ids"/>' ids: the committed
    /// reference a run is compared with (results/experiments), or the README's table.</summary>
    public static IReadOnlyList<ExperimentResult> Finished(ReproductionOptions o, string experimentsRoot) =>
        Ids(o).Select(id => Path.Combine(experimentsRoot, id, "metrics.json")).Where(File.Exists)
            .Select(ResultsTable.LoadResult).OfType<ExperimentResult>().ToList();

    /// <summary>Writes the suite's table (Markdown, CSV) and, when anything ran, run.json (what ran, how long) into
    /// <paramref name="dir"/>; returns the table path.</summary>
    public static string WriteSuite(ReproductionRun run, string dir)
    {
        var table = ResultsTable.From(run.Results);
        AtomicFile.WriteAllText(Path.Combine(dir, "table.md"), table.ToMarkdown());
        AtomicFile.WriteAllText(Path.Combine(dir, "table.csv"), table.ToCsv());
        // run.json describes the run that produced the results: a call that only reused finished ones leaves it as it is.
        if (run.Reused < run.Results.Count)
            AtomicFile.WriteAllText(Path.Combine(dir, "run.json"), Provenance.RunProvenance.Capture(new Dictionary<string, object?>
            {
                ["preset"] = run.Options.Preset, ["model_dir"] = run.Options.Model, ["first_seed"] = run.Options.FirstSeed,
                ["seeds"] = run.Options.Seeds, ["force"] = run.Options.Force, ["wall_seconds"] = run.Elapsed.TotalSeconds,
                ["experiments"] = run.Results.Select(a => a.Id).ToList(), ["reused"] = run.Reused,
            }).ToJson());
        return Path.Combine(dir, "table.md");
    }

    /// <summary>Copies the run's experiment folders from the workspace into <paramref name="resultsRoot"/>/experiments
    /// (replacing those of the same id) and writes the suite to <paramref name="resultsRoot"/>/reproduce/&lt;suite&gt;.</summary>
    public static string Publish(ReproductionRun run, string resultsRoot)
    {
        foreach (var id in run.Results.Select(r => r.Id).Distinct())
            CopyFolder(Path.Combine(run.Options.ExperimentsDirectory, id), Path.Combine(resultsRoot, "experiments", id));
        var suite = Path.Combine(resultsRoot, "reproduce", run.Options.SuiteName);
        WriteSuite(run, suite);
        // Published after a run that finished earlier: its run.json is in the workspace.
        var ran = Path.Combine(SuiteDirectory(run.Options), "run.json");
        if (run.Reused == run.Results.Count && File.Exists(ran)) File.Copy(ran, Path.Combine(suite, "run.json"), overwrite: true);
        return suite;
    }

    /// <summary>The workspace's folder for the suite's table and run.json.</summary>
    public static string SuiteDirectory(ReproductionOptions o) => Path.Combine(o.Workspace, "reproduce", o.SuiteName);

    /// <summary>Replaces <paramref name="to"/> with a copy of <paramref name="from"/>: copied beside it, then moved into place.</summary>
    static void CopyFolder(string from, string to)
    {
        if (!Directory.Exists(from)) throw new DirectoryNotFoundException($"{from}: not in the workspace (run without --publish first)");
        var staging = to + ".tmp-publish";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        foreach (var file in Directory.EnumerateFiles(from))
            File.Copy(file, Path.Combine(staging, Path.GetFileName(file)));
        if (Directory.Exists(to)) Directory.Delete(to, recursive: true);
        Directory.Move(staging, to);
    }

    static ExperimentRunner Runner(ReproductionOptions o, IProgress<ExperimentProgress>? progress) =>
        new(o.Preset, o.ExperimentsDirectory, o.CheckpointsDirectory, progress)
        {
            Force = o.Force, ModelDirectory = o.Model, DeterministicTraining = o.Deterministic,
        };
}
