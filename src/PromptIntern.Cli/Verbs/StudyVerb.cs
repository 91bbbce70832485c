using System.CommandLine;
using System.Globalization;
using PromptIntern.Data;
using PromptIntern.Experiments;
using PromptIntern.UserTasks;
using PromptIntern.Training;
using Spectre.Console;

namespace PromptIntern.Cli.Verbs;

/// <summary>`promptintern study`: when does internalization pay? A user task at several training-set sizes × methods × seeds,
/// resumable cell by cell, summarized with paired bootstrap intervals against the full-prompt and query-only rows.</summary>
public sealed class StudyVerb : IVerb
{
    public Command Build()
    {
        var taskFile = new Option<string?>("--task-file") { Description = "the task definition (JSON; see examples/order-extraction/task.json); required unless --reproduced" };
        var model = new Option<string>("--model") { Description = "base model directory", DefaultValueFactory = _ => "data/models/tiny" };
        var sizes = new Option<string>("--sizes") { Description = "training-set sizes, comma-separated; 'all' = every train row", DefaultValueFactory = _ => "100,200,400,all" };
        var seeds = new Option<int>("--seeds") { Description = "seeds per cell (first-seed, first-seed + 1, ...)", DefaultValueFactory = _ => 3 };
        var firstSeed = new Option<int>("--first-seed") { Description = "first seed", DefaultValueFactory = _ => 1337 };
        var methods = new Option<string>("--methods") { Description = $"comma-separated methods; known: {string.Join(", ", MethodCatalog.Names)}",
            DefaultValueFactory = _ => "full-prompt,query-only,promptintern,final-stage-full" };
        var epochs = new Option<double>("--epochs") { Description = "the run's epochs E (one-stage baselines train E; plans split or budget them)", DefaultValueFactory = _ => 3 };
        var evalRows = new Option<int>("--eval-rows") { Description = "dev rows evaluated (first N; 0 = all)", DefaultValueFactory = _ => 60 };
        var lr = new Option<double>("--lr") { Description = "learning rate", DefaultValueFactory = _ => 1e-3 };
        var outDir = new Option<string?>("--out") { Description = "output folder [default: results/when-it-pays/<task name>]" };
        var runs = new Option<string?>("--runs") { Description = "checkpoints folder (resumable) [default: runs/when-it-pays/<task name>]" };
        var device = new Option<string>("--device") { Description = "cpu or cuda (bf16)", DefaultValueFactory = _ => "cpu" };
        var includeResults = new Option<string[]>("--include-results")
        {
            Description = "more result folders whose cells join the summary (e.g. an `internalize` run of the same task and settings)", AllowMultipleArgumentsPerToken = true,
        };
        var readme = new Option<string?>("--readme") { Description = "also write the findings into this Markdown file, between <!-- findings-FOLDER:begin --> and <!-- findings-FOLDER:end --> (FOLDER: the output folder's name)" };
        var verdictInto = new Option<string?>("--verdict-into")
        {
            Description = "also write the one-sentence verdict and the base's perplexity into this Markdown file, between <!-- verdict-FOLDER:begin --> and <!-- verdict-FOLDER:end -->",
        };
        var summarizeOnly = new Option<bool>("--summarize-only") { Description = "only rebuild summary.md/csv from the finished cells under --out" };
        var reproduced = new Option<string?>("--reproduced")
        {
            Description = "summarize a built-in task's `reproduce` experiments instead, TASK:BASE (e.g. nl2bash:nano4k-63a7a20c): presets full and " +
                          "full-n<rows> under results/experiments, into --out [default: results/when-it-pays/TASK-BASE]",
        };
        var compareBases = new Option<string?>("--compare-bases")
        {
            Description = "compare bases instead, TASK:BASE,BASE[,...] (e.g. nl2bash:nano4k-63a7a20c,nano4k-pkg-1a2b3c4d): the rows of the reproduce grid " +
                          "every base has, side by side with each base's held-out perplexity, into --out [default: results/when-it-pays/TASK-bases]",
        };
        var experiments = new Option<string?>("--experiments") { Description = "experiments folder read by --reproduced and --compare-bases [default: results/experiments]" };
        var cmd = new Command("study", "when does internalization pay: training-set sizes × methods × seeds on your task, with paired bootstrap intervals");
        foreach (var o in new Option[] { taskFile, model, sizes, seeds, firstSeed, methods, epochs, evalRows, lr, device, outDir, runs, includeResults, readme, verdictInto, summarizeOnly, reproduced, compareBases, experiments })
            cmd.Options.Add(o);
        cmd.SetAction(r =>
        {
            var experimentsDir = ExperimentsFolder(r.GetValue(experiments));
            if (r.GetValue(compareBases) is { } bases) return CompareBases(bases, experimentsDir, r.GetValue(outDir), r.GetValue(readme), r.GetValue(verdictInto));
            if (r.GetValue(reproduced) is { } spec) return SummarizeReproduced(spec, experimentsDir, r.GetValue(outDir), r.GetValue(readme), r.GetValue(verdictInto));
            var task = UserTaskFile.Load(r.GetValue(taskFile) ?? throw new ArgumentException("--task-file: required (or --reproduced TASK:BASE)"));
            var output = Path.GetFullPath(r.GetValue(outDir) ?? Path.Combine(KitPaths.Results, "when-it-pays", task.Name));
            var modelDir = Path.GetFullPath(r.GetValue(model)!);
            StudyTable table;
            if (r.GetValue(summarizeOnly))
            {
                table = DataEfficiencyStudy.Summarize([Path.Combine(output, "results"), .. (r.GetValue(includeResults) ?? []).Select(Path.GetFullPath)], modelDir);
                AtomicFile.WriteAllText(Path.Combine(output, "summary.md"), table.ToMarkdown());
                AtomicFile.WriteAllText(Path.Combine(output, "summary.csv"), table.ToCsv());
            }
            else
            {
                UserTaskFile.LoadData(task);
                if (!File.Exists(Path.Combine(modelDir, "config.json")))
                    throw new FileNotFoundException($"{modelDir}: no base model here (config.json missing); pass --model DIR");
                var methodNames = r.GetValue(methods)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                foreach (var m in methodNames) MethodCatalog.Get(m);
                if (r.GetValue(seeds) < 1) throw new ArgumentException("--seeds: must be >= 1");
                var options = new InternalizeOptions
                {
                    // Latency is not what a study compares (and is noise on shared CPUs): two timed queries keep the cells short.
                    Preset = InternalizeOptions.DefaultPreset with
                    {
                        Name = "study", Model = r.GetValue(model)!, EvalRows = r.GetValue(evalRows), Epochs = r.GetValue(epochs), LearningRate = r.GetValue(lr),
                        LatencyQueries = 2, Device = r.GetValue(device)!, Precision = r.GetValue(device) == "cuda" ? "bf16" : "fp32",
                    },
                    ModelDirectory = modelDir, OutputDirectory = output,
                    RunsRoot = Path.GetFullPath(r.GetValue(runs) ?? Path.Combine(KitPaths.Root, "runs", "when-it-pays", task.Name)),
                };
                var seedList = Enumerable.Range(r.GetValue(firstSeed), r.GetValue(seeds)).ToList();
                string? lastPhase = null;
                table = DataEfficiencyStudy.Run(task, options, ParseSizes(r.GetValue(sizes)!), seedList, methodNames,
                    new InlineProgress<ExperimentProgress>(p =>
                    {
                        if (p.Phase == lastPhase) return;
                        lastPhase = p.Phase;
                        CliConsole.Out.MarkupLine(Markup.Escape($"{DateTime.UtcNow:HH:mm:ss} {p.Phase}"));
                    }));
            }
            return Publish(table, task.Name, task.Name, output, r.GetValue(readme), r.GetValue(verdictInto));
        });
        return cmd;
    }

    /// <summary>`--reproduced TASK:BASE`: the study table of a built-in task's reproduce grid on one base, written with its
    /// provenance like a study's own summary.</summary>
    static int SummarizeReproduced(string spec, string experiments, string? outDir, string? readme, string? verdictInto)
    {
        var parts = spec.Split(':', 2, StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || parts[1].Length == 0) throw new ArgumentException($"--reproduced: expected TASK:BASE (e.g. nl2bash:nano4k-63a7a20c), got '{spec}'");
        var task = TaskName.Parse(parts[0]);
        var table = DataEfficiencyStudy.SummarizeReproduced(experiments, task, parts[1]);
        if (table.Rows.Count == 0) throw new ArgumentException($"--reproduced: no finished {task} experiment of base '{parts[1]}' (presets full, full-n<rows>) under {experiments}");
        var output = Path.GetFullPath(outDir ?? Path.Combine(KitPaths.Results, "when-it-pays", $"{task}-{parts[1]}"));
        Directory.CreateDirectory(output);
        table.Write(output, new Dictionary<string, object?> { ["task"] = task, ["base"] = parts[1], ["experiments"] = Path.GetRelativePath(KitPaths.Root, experiments) });
        return Publish(table, task, $"{task} on {parts[1]}", output, readme, verdictInto);
    }

    /// <summary>`--compare-bases TASK:BASE,BASE[,...]`: the reproduce grid's rows every base has, side by side, written with its
    /// provenance; every problem with the spec is a one-line error naming the option.</summary>
    static int CompareBases(string spec, string experiments, string? outDir, string? readme, string? verdictInto)
    {
        const string Option = "--compare-bases";
        var parts = spec.Split(':', 2, StringSplitOptions.TrimEntries);
        var bases = parts.Length == 2 ? parts[1].Split(',', StringSplitOptions.TrimEntries) : [];
        if (parts.Length != 2 || parts[0].Length == 0 || bases.Any(b => b.Length == 0))
            throw new ArgumentException($"{Option}: expected TASK:BASE,BASE[,...] (e.g. nl2bash:nano4k-63a7a20c,nano4k-pkg-1a2b3c4d), got '{spec}'");
        string task;
        try { task = TaskName.Parse(parts[0]); }
        catch (ArgumentException e) { throw new ArgumentException($"{Option}: {e.Message}"); }
        if (bases.Length < 2) throw new ArgumentException($"{Option}: needs at least two bases to compare, got {bases.Length} ('{spec}')");
        if (bases.GroupBy(b => b).FirstOrDefault(g => g.Count() > 1) is { } twice) throw new ArgumentException($"{Option}: base '{twice.Key}' is listed twice");
        var known = ResultsTable.LoadAll(experiments).Select(r => r.Model).ToHashSet(StringComparer.Ordinal);
        if (bases.FirstOrDefault(b => !known.Contains(b)) is { } unknown)
            throw new ArgumentException($"{Option}: unknown base '{unknown}': no experiment under {experiments} ran on it");
        var perBase = bases.Select(b => new StudyBase(b, DataEfficiencyStudy.SummarizeReproduced(experiments, task, b))).ToList();
        if (perBase.FirstOrDefault(b => b.Table.Rows.Count == 0) is { } empty)
            throw new ArgumentException($"{Option}: base '{empty.Label}' has no finished {task} experiment (presets full, full-n<rows>) under {experiments}");
        var comparison = BaseComparison.From(task, perBase);
        if (comparison.Rows.Count == 0) throw new ArgumentException($"{Option}: no (train rows, method) row of {task} is present on every base");
        var output = Path.GetFullPath(outDir ?? Path.Combine(KitPaths.Results, "when-it-pays", $"{task}-bases"));
        comparison.Write(output, new Dictionary<string, object?> { ["task"] = task, ["experiments"] = Path.GetRelativePath(KitPaths.Root, experiments) });
        return Publish(output, readme, comparison.ToMarkdown, verdictInto, comparison.Verdict,
            () => CliTable.Print($"{task}: the ranking on each base", comparison.Columns, comparison.Cells(), caption: comparison.Verdict()));
    }

    /// <summary>--experiments as a full path (default results/experiments); a folder that is not there is a one-line error.</summary>
    static string ExperimentsFolder(string? option)
    {
        var dir = Path.GetFullPath(option ?? KitPaths.Experiments);
        return option is null || Directory.Exists(dir) ? dir : throw new ArgumentException($"--experiments: folder not found: {dir}");
    }

    /// <summary>How a study table's run ends (<see cref="Publish(string, string?, Func{string}, string?, Func{string}, Action)"/>).</summary>
    static int Publish(StudyTable table, string task, string title, string output, string? readme, string? verdictInto) =>
        Publish(output, readme, () => table.Findings(task), verdictInto, () => $"{table.Verdict(task)} _{table.BaseLine}_",
            () => CliTable.Print($"{title}: when does internalization pay", StudyTable.Columns, table.Cells(), caption: table.BaseLine));

    /// <summary>How every study run ends: its findings and verdict into the Markdown files asked for, its table on the console.
    /// The sections are named after the output folder (findings-&lt;folder&gt;, verdict-&lt;folder&gt;), so studies of one task on
    /// two bases or two devices keep their own.</summary>
    static int Publish(string output, string? readme, Func<string> findings, string? verdictInto, Func<string> verdict, Action printTable)
    {
        var section = Path.GetFileName(Path.TrimEndingDirectorySeparator(output));
        if (readme is not null) ReadmeSection.Replace(readme, "findings-" + section, findings());
        if (verdictInto is not null) ReadmeSection.Replace(verdictInto, "verdict-" + section, verdict());
        printTable();
        CliConsole.Out.MarkupLine($"Wrote {Markup.Escape(Path.Combine(output, "summary.md"))}");
        return 0;
    }

    /// <summary>"100,300,all" → [100, 300, 0] (0 = all rows); one-line errors name the option.</summary>
    static IReadOnlyList<int> ParseSizes(string text) =>
        text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(s =>
            s.Equals("all", StringComparison.OrdinalIgnoreCase) ? 0
            : int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
            : throw new ArgumentException($"--sizes: '{s}' is not a positive row count or 'all'")).Distinct().ToList();
}
