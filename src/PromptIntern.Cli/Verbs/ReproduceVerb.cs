using System.CommandLine;
using PromptIntern.Data;
using PromptIntern.Experiments;
using Spectre.Console;

namespace PromptIntern.Cli.Verbs;

/// <summary>`promptintern reproduce`: the main job. Trains and evaluates the paper's methods on a preset in a workspace
/// (runs/ unless --out), and prints each method's score beside the committed reference and the paper's. Committed
/// results change only with --publish.</summary>
public sealed class ReproduceVerb : IVerb
{
    public Command Build()
    {
        var preset = new Option<string>("--preset") { Description = "quick (tiny model, CPU, minutes) or full (GPU model, all methods and tasks)", DefaultValueFactory = _ => "quick" };
        var tasks = new Option<string[]>("--task") { Description = "task(s) [default: the preset's]", AllowMultipleArgumentsPerToken = true };
        var methods = new Option<string?>("--methods") { Description = $"comma-separated methods [default: the preset's]; known: {string.Join(", ", MethodCatalog.Names)}" };
        var evalFile = CommonOptions.EvalFile();
        var trainFile = new Option<string?>("--train-file") { Description = "train JSONL file [default: data/<task>/train.jsonl]" };
        var model = new Option<string?>("--model") { Description = $"base model directory [default: the preset's, e.g. {KitPaths.TinyModelFolder}]" };
        var seeds = new Option<int>("--seeds") { Description = "number of seeds (--first-seed, the next, ...)", DefaultValueFactory = _ => 1 }.Positive();
        var firstSeed = new Option<int>("--first-seed") { Description = "the first seed", DefaultValueFactory = _ => 1337 };
        var trainRows = new Option<int?>("--train-rows") { Description = "override the preset's number of train rows (0 = all)" }.AtLeast(0);
        var evalRows = new Option<int?>("--eval-rows") { Description = "override the preset's number of evaluation rows (0 = all)" }.AtLeast(0);
        var epochs = new Option<double?>("--epochs") { Description = "override the preset's total epochs across stages" }.Positive();
        var output = new Option<string?>("--out") { Description = "workspace: experiments/<id>/, train/ (resumable checkpoints) and reproduce/<suite>/ [default: runs/]" };
        var results = new Option<string?>("--results") { Description = "committed results: the reference printed beside yours, and where --publish writes [default: results/]" };
        var force = new Option<bool>("--force") { Description = "retrain and re-evaluate everything, including what the workspace already holds" };
        var publish = new Option<bool>("--publish") { Description = "copy this run's experiments into results/experiments/ and its table into results/reproduce/" };
        var grid = new Option<string?>("--grid") { Description = "grid file: lines 'task methods first-seed seeds', run in order (replaces --task, --methods, --first-seed, --seeds)" };
        var stopAfter = new Option<int?>("--stop-after") { Description = "with --grid: start no new line after this many seconds" };
        var deterministic = new Option<bool>("--deterministic")
        {
            Description = "fine-tune with deterministic kernels only: the same models on the same GPU model and software (CUDA: set CUBLAS_WORKSPACE_CONFIG=:4096:8); a separate experiment id",
        };
        var cmd = new Command("reproduce", "train and evaluate the paper's methods in a workspace; print your scores beside the committed reference and the paper's");
        foreach (var o in new Option[] { preset, tasks, methods, evalFile, trainFile, model, seeds, firstSeed, trainRows, evalRows, epochs, output, results, force, publish, grid, stopAfter, deterministic })
            cmd.Options.Add(o);
        cmd.SetAction(r =>
        {
            var p = ReproducePreset.Get(r.GetValue(preset)!);
            p = p with
            {
                // Another training-set size is another table: the preset's name says the size, so the report never averages sizes.
                Name = r.GetValue(trainRows) is { } n && n != p.TrainRows ? $"{p.Name}-n{(n == 0 ? "all" : n)}" : p.Name,
                TrainRows = r.GetValue(trainRows) ?? p.TrainRows,
                // The preset's row cap is for the dev split; another eval file is used whole unless --eval-rows says otherwise.
                EvalRows = r.GetValue(evalRows) ?? (r.GetValue(evalFile) is null ? p.EvalRows : 0), Epochs = r.GetValue(epochs) ?? p.Epochs,
                Tasks = r.GetValue(tasks) is { Length: > 0 } ts ? ts.Select(TaskName.Parse).ToList() : p.Tasks,
                Methods = r.GetValue(methods) is { } ms ? ms.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : p.Methods,
            };
            foreach (var m in p.Methods) MethodCatalog.Get(m);
            var options = new ReproductionOptions
            {
                Preset = p, Workspace = OutputFolder.CheckWritable(r.GetValue(output) ?? Path.Combine(KitPaths.Root, "runs"), "--out"), ModelDirectory = r.GetValue(model),
                FirstSeed = r.GetValue(firstSeed), Seeds = r.GetValue(seeds), TrainFile = r.GetValue(trainFile), EvalFile = r.GetValue(evalFile),
                Force = r.GetValue(force), Deterministic = r.GetValue(deterministic),
            };
            var resultsRoot = Path.GetFullPath(r.GetValue(results) ?? KitPaths.Results);
            IReadOnlyList<ReproductionRun> runs;
            if (r.GetValue(grid) is { } gridFile)
            {
                if (r.GetValue(tasks) is { Length: > 0 } || r.GetValue(methods) is not null)
                    throw new ArgumentException("--grid names the tasks and methods of each run: drop --task and --methods");
                var lines = ReproductionGrid.Load(gridFile);
                var deadline = r.GetValue(stopAfter) is { } seconds ? DateTime.UtcNow.AddSeconds(seconds) : (DateTime?)null;
                runs = WithProgress(progress => ReproductionGrid.Run(options, lines, deadline, progress));
            }
            else runs = [WithProgress(progress => Reproduction.Run(options, progress))];
            foreach (var run in runs)
            {
                var table = Reproduction.WriteSuite(run, Reproduction.SuiteDirectory(run.Options));
                PrintComparison(run, Reproduction.Finished(run.Options, Path.Combine(resultsRoot, "experiments")), resultsRoot);
                CliConsole.Out.MarkupLine(run.Reused == run.Results.Count
                    ? $"All {run.Results.Count} experiments were already finished in {Markup.Escape(options.Workspace)}: shown again (--force retrains them)."
                    : $"Ran {run.Results.Count - run.Reused} of {run.Results.Count} experiments in {run.Elapsed.TotalMinutes:0.0} min.");
                CliConsole.Out.MarkupLine($"Every column: {Markup.Escape(table)}; one folder per experiment under {Markup.Escape(options.ExperimentsDirectory)}.");
                if (r.GetValue(publish))
                    CliConsole.Out.MarkupLine($"Published to {Markup.Escape(Path.Combine(resultsRoot, "experiments"))} and {Markup.Escape(Reproduction.Publish(run, resultsRoot))}.");
            }
            return 0;
        });
        return cmd;
    }

    /// <summary>Runs <paramref name="work"/> with a progress bar on a terminal, or timestamped lines when output is redirected.</summary>
    static T WithProgress<T>(Func<IProgress<ReproductionProgress>, T> work) where T : class
    {
        static string Status(ReproductionProgress x) =>
            $"{x.Task} seed {x.Seed} ({x.Done + 1}/{x.Total}): {x.Step.Phase}" + (x.Step.MaxSteps > 0 ? $" step {x.Step.Step}/{x.Step.MaxSteps} loss {x.Step.Loss:0.000}" : "");
        if (!CliConsole.Out.Profile.Capabilities.Interactive)
        {
            using var log = new HeartbeatLog(CliConsole.Out.Profile.Out.Writer);
            return work(new Training.InlineProgress<ReproductionProgress>(x => log.Report($"{x.Task} {x.Seed} {x.Step.Phase}", Status(x))));
        }
        T? result = null;
        CliConsole.Out.Progress().AutoClear(true).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var bar = ctx.AddTask("starting", maxValue: 1);
                result = work(new Training.InlineProgress<ReproductionProgress>(x =>
                {
                    bar.Description = Markup.Escape(Status(x));
                    bar.Value = x.Step.MaxSteps > 0 ? (double)x.Step.Step / x.Step.MaxSteps : bar.Value;
                }));
                bar.Value = 1;
            });
        return result!;
    }

    static void PrintComparison(ReproductionRun run, IReadOnlyList<ExperimentResult> reference, string resultsRoot)
    {
        var models = string.Join(", ", run.Results.Select(a => a.Model).Distinct());
        var seeds = run.Options.Seeds == 1 ? $"seed {run.Options.FirstSeed}" : $"seeds {run.Options.FirstSeed}–{run.Options.FirstSeed + run.Options.Seeds - 1} (mean ± sd)";
        foreach (var t in ComparisonTable.Build(run.Results, reference))
        {
            var rows = run.Results.Where(x => x.Task == t.Task).Select(x => $"{x.EvalFile}×{x.EvalRows}").Distinct();
            CliTable.Print($"{t.Title}: preset {run.Options.Preset.Name}, base {models}, {seeds}, {string.Join(", ", rows)}", t.Columns, t.Cells, ComparisonTable.Caption);
        }
        CliConsole.Out.MarkupLine(reference.Count == run.Results.Count
            ? $"reference: the committed run of the same experiments ({Markup.Escape(Path.Combine(resultsRoot, "experiments"))})."
            : $"reference: {reference.Count} of {run.Results.Count} experiments have a committed result under {Markup.Escape(Path.Combine(resultsRoot, "experiments"))} ('-' where none).");
    }
}
