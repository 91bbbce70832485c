using System.Text.Json;
using PromptIntern.Data;
using PromptIntern.Provenance;
using PromptIntern.Experiments;
using PromptIntern.Scheduling;
using PromptIntern.Training;

namespace PromptIntern.UserTasks;

/// <summary>When does internalization pay? Trains and evaluates a user task at several training-set sizes × methods × seeds
/// (one experiment per cell, skipped when already finished, so an interrupted or extended grid resumes), then summarizes
/// every cell found under the output folder into a <see cref="StudyTable"/> with paired bootstrap intervals.</summary>
public static class DataEfficiencyStudy
{
    /// <summary>Runs the cells seed by seed (so a grid cut short still has whole seeds), smallest size first, and writes
    /// summary.md, summary.csv and run.json into <see cref="InternalizeOptions.OutputDirectory"/>. A size of 0 = all train rows.</summary>
    public static StudyTable Run(UserTaskDefinition task, InternalizeOptions options, IReadOnlyList<int> sizes, IReadOnlyList<int> seeds,
        IReadOnlyList<string> methods, IProgress<ExperimentProgress>? progress = null)
    {
        var specs = methods.Select(MethodCatalog.Get).ToList();
        foreach (var seed in seeds)
            foreach (var size in sizes.OrderBy(s => s == 0 ? int.MaxValue : s))
            {
                var preset = options.Preset with { Name = $"{options.Preset.Name}-n{(size == 0 ? "all" : size)}", TrainRows = size };
                var setup = UserTaskSetup.Load(task, preset, seed);
                (options with { Preset = preset }).Runner(new Dictionary<string, InternalizationPlan>(), progress).Run(setup, specs, seed);
            }
        var table = Summarize(options.ResultsDirectory, options.ModelDirectory);
        table.Write(options.OutputDirectory, new Dictionary<string, object?>
        {
            ["task_file"] = task.SourceFile, ["preset"] = options.Preset, ["model_dir"] = options.ModelDirectory, ["sizes"] = sizes,
            ["seeds"] = seeds, ["methods"] = methods, ["compressor"] = options.Compressor, ["lora"] = options.Lora,
        });
        return table;
    }

    /// <summary>Every finished cell under <paramref name="resultsDirectory"/> (those <paramref name="include"/> keeps; e.g. one
    /// task and base among reproduce results of several training-set sizes) as a table: one row per (train rows used, method).</summary>
    public static StudyTable Summarize(string resultsDirectory, string? modelDirectory = null, Func<ExperimentResult, bool>? include = null) =>
        Summarize([resultsDirectory], modelDirectory, include);

    /// <summary>The same over several folders (e.g. a study's cells and an `internalize` run of the same task and settings).</summary>
    public static StudyTable Summarize(IReadOnlyList<string> resultsDirectories, string? modelDirectory = null, Func<ExperimentResult, bool>? include = null)
    {
        var cells = new List<StudyCell>();
        foreach (var metrics in resultsDirectories.Where(Directory.Exists)
                     .SelectMany(d => Directory.EnumerateFiles(d, "metrics.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal)))
            if (ResultsTable.LoadResult(metrics) is { } result && (include?.Invoke(result) ?? true))
            {
                var dir = Path.GetDirectoryName(metrics)!;
                cells.Add(new StudyCell(TrainRowsUsed(Path.Combine(dir, "config.json")), result, dir));
            }
        // Without a model folder, the base's perplexity as the first cell's config recorded it.
        var basePerplexity = modelDirectory != null ? HeldOutPerplexity.Read(modelDirectory)
            : cells.FirstOrDefault() is { } first ? FullPromptDifferences.BasePerplexity(first.Directory, first.Result.Model) : null;
        return StudyTable.From(cells, basePerplexity);
    }

    /// <summary>The same study over a built-in task's `reproduce` experiments on one base (presets <c>full</c> and
    /// <c>full-n&lt;rows&gt;</c>: the GPU grid of scripts/gpu/when-it-pays.sh), read from the experiments folder.</summary>
    public static StudyTable SummarizeReproduced(string experimentsDirectory, string task, string baseLabel) =>
        Summarize(experimentsDirectory, include: r => r.Task == task && r.Model == baseLabel
            && (r.Preset == ReproducePreset.Full.Name || r.Preset.StartsWith(ReproducePreset.Full.Name + "-n", StringComparison.Ordinal)));

    /// <summary>The bases with a `study --reproduced TASK:BASE` folder under <paramref name="whenItPaysDirectory"/> (TASK-BASE, whose
    /// run.json names the base; a comparison of bases has none), in name order; none when the folder is absent.</summary>
    public static IReadOnlyList<string> ReproducedBases(string whenItPaysDirectory, string task) =>
        !Directory.Exists(whenItPaysDirectory) ? []
        : Directory.EnumerateDirectories(whenItPaysDirectory, task + "-*").Order(StringComparer.Ordinal)
            .Select(dir => Path.Combine(dir, "run.json")).Where(File.Exists)
            .Select(f => JsonFile.Read(f, root => root.TryGetProperty("config", out var c) && c.TryGetProperty("base", out var b) ? b.GetString() : null))
            .OfType<string>().ToList();

    /// <summary>Train rows the cell trained on, as its config.json records them (the first stage's examples).</summary>
    static int TrainRowsUsed(string configPath)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(configPath));
        if (doc.RootElement.TryGetProperty("config", out var c) && c.TryGetProperty("stages", out var stages) && stages.GetArrayLength() > 0
            && stages[0].TryGetProperty("Examples", out var n))
            return n.GetInt32();
        throw new DataFormatException(configPath, 0, "config.stages[0].Examples", "missing");
    }
}

/// <summary>One finished experiment of a study: the train rows it used, its result and its folder.</summary>
public sealed record StudyCell(int TrainRows, ExperimentResult Result, string Directory);
