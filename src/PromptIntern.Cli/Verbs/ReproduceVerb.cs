using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using PromptIntern.Data;
using PromptIntern.Experiments;
using PromptIntern.Provenance;
using Spectre.Console;

namespace PromptIntern.Cli.Verbs;

/// <summary>`promptintern reproduce`: the main job — trains and evaluates the paper's methods on a preset and prints the
/// table (ours beside the paper's numbers); writes results/&lt;experiment-id&gt;/ per experiment and the suite table.</summary>
public sealed class ReproduceVerb : IVerb
{
    public Command Build()
    {
        var preset = new Option<string>("--preset") { Description = "quick (tiny model, CPU, minutes) or full (GPU model, all methods and tasks)", DefaultValueFactory = _ => "quick" };
        var tasks = new Option<string[]>("--task") { Description = "task(s) [default: the preset's]", AllowMultipleArgumentsPerToken = true };
        var methods = new Option<string?>("--methods") { Description = $"comma-separated methods [default: the preset's]; known: {string.Join(", ", MethodCatalog.Names)}" };
        var evalFile = CommonOptions.EvalFile();
        var trainFile = new Option<string?>("--train-file") { Description = "train JSONL file [default: data/<task>/train.jsonl]" };
        var model = new Option<string?>("--model") { Description = "base model directory [default: the preset's, e.g. data/models/tiny]" };
        var seeds = new Option<int>("--seeds") { Description = "number of seeds (--first-seed, the next, ...)", DefaultValueFactory = _ => 1 }.Positive();
        var firstSeed = new Option<int>("--first-seed") { Description = "the first seed (e.g. 1338 to add seeds beside finished 1337 runs)", DefaultValueFactory = _ => 1337 };
        var trainRows = new Option<int?>("--train-rows") { Description = "override the preset's number of train rows (0 = all)" }.AtLeast(0);
        var evalRows = new Option<int?>("--eval-rows") { Description = "override the preset's number of evaluation rows (0 = all)" }.AtLeast(0);
        var epochs = new Option<double?>("--epochs") { Description = "override the preset's total epochs across stages" }.Positive();
        var results = new Option<string?>("--results") { Description = "results folder [default: results/]" };
        var runs = new Option<string?>("--runs") { Description = "checkpoints folder (resumable) [default: runs/]" };
        var force = new Option<bool>("--force") { Description = "re-run experiments that already have results" };
        var deterministic = new Option<bool>("--deterministic")
        {
            Description = "fine-tune with deterministic kernels only: the same models on the same GPU model and software (CUDA: set CUBLAS_WORKSPACE_CONFIG=:4096:8); a separate experiment id",
        };
        var cmd = new Command("reproduce", "train and evaluate the paper's methods; print the results table beside the paper's numbers");
        foreach (var o in new Option[] { preset, tasks, methods, evalFile, trainFile, model, seeds, firstSeed, trainRows, evalRows, epochs, results, runs, force, deterministic }) cmd.Options.Add(o);
        cmd.SetAction(r =>
        {
            var p = ReproducePreset.Get(r.GetValue(preset)!);
            p = p with
            {
                TrainRows = r.GetValue(trainRows) ?? p.TrainRows,
                // The preset's row cap is for the dev split; another eval file is used whole unless --eval-rows says otherwise.
                EvalRows = r.GetValue(evalRows) ?? (r.GetValue(evalFile) is null ? p.EvalRows : 0), Epochs = r.GetValue(epochs) ?? p.Epochs,
                Tasks = r.GetValue(tasks) is { Length: > 0 } ts ? ts.Select(TaskName.Parse).ToList() : p.Tasks,
                Methods = r.GetValue(methods) is { } ms ? ms.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : p.Methods,
            };
            var specs = p.Methods.Select(MethodCatalog.Get).ToList();
            var modelDir = Path.GetFullPath(r.GetValue(model) ?? Path.Combine(KitPaths.Root, p.Model));
            if (!File.Exists(Path.Combine(modelDir, "config.json")))
                throw new FileNotFoundException($"{modelDir}: no base model here (config.json missing); pass --model DIR or build one with `promptintern pretrain`");
            var resultsRoot = OutputFolder.CheckWritable(r.GetValue(results) ?? KitPaths.Results, "--results");
            var runsRoot = OutputFolder.CheckWritable(r.GetValue(runs) ?? Path.Combine(KitPaths.Root, "runs"), "--runs");
            var clock = Stopwatch.StartNew();
            var all = new List<ExperimentResult>();
            var reused = 0;
            AnsiConsole.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(ctx =>
                {
                    foreach (var task in p.Tasks)
                        foreach (var seed in Enumerable.Range(r.GetValue(firstSeed), r.GetValue(seeds)))
                        {
                            var bar = ctx.AddTask($"{task} seed {seed}", maxValue: 1);
                            var progress = new PromptIntern.Training.InlineProgress<ExperimentProgress>(x =>
                            {
                                bar.Description = Markup.Escape($"{task} s{seed}: {x.Phase}" + (x.MaxSteps > 0 ? $" step {x.Step}/{x.MaxSteps} loss {x.Loss:0.000}" : ""));
                                if (x.MaxSteps > 0) bar.Value = (double)x.Step / x.MaxSteps;
                                // A log file gets one timestamped line per phase, so a run's time can be read afterwards.
                                else if (System.Console.IsErrorRedirected) System.Console.Error.WriteLine($"[{clock.Elapsed:hh\\:mm\\:ss}] {task} s{seed}: {x.Phase}");
                            });
                            var setup = TaskSetup.Load(task, p, seed, r.GetValue(trainFile), r.GetValue(evalFile));
                            var runner = new ExperimentRunner(p, resultsRoot, runsRoot, progress) { Force = r.GetValue(force), ModelDirectory = modelDir, DeterministicTraining = r.GetValue(deterministic) };
                            all.AddRange(runner.Run(setup, specs, seed));
                            reused += runner.Reused;
                            bar.Value = 1;
                            bar.Description = Markup.Escape($"{task} seed {seed}: done");
                        }
                });
            var table = ResultsTable.From(all);
            CliTable.Print($"PromptIntern reproduction — preset {p.Name}, model {string.Join(", ", all.Select(a => a.Model).Distinct())} (eval rows: {string.Join(", ", all.Select(a => $"{a.Task} {a.EvalFile}×{a.EvalRows}").Distinct())})",
                ResultsTable.Columns, table.Cells(), caption: "paper column: " + PaperReference.Source + "; reductions relative to the full-prompt row");
            var suiteDir = Path.Combine(resultsRoot, "reproduce", p.Name);
            AtomicFile.WriteAllText(Path.Combine(suiteDir, "table.md"), table.ToMarkdown());
            AtomicFile.WriteAllText(Path.Combine(suiteDir, "table.csv"), table.ToCsv());
            // run.json describes the run that produced the results: a call that only reused finished ones leaves it as it is.
            if (reused < all.Count)
                AtomicFile.WriteAllText(Path.Combine(suiteDir, "run.json"), RunProvenance.Capture(new Dictionary<string, object?>
                {
                    ["preset"] = p, ["model_dir"] = modelDir, ["first_seed"] = r.GetValue(firstSeed), ["seeds"] = r.GetValue(seeds),
                    ["wall_seconds"] = clock.Elapsed.TotalSeconds, ["experiments"] = all.Select(a => a.Id).ToList(), ["reused"] = reused,
                }).ToJson());
            else CliConsole.Out.MarkupLine($"All {all.Count} experiments were already finished under {Markup.Escape(resultsRoot)}: reused (--force re-runs them).");
            CliConsole.Out.MarkupLine($"Wrote {Markup.Escape(Path.Combine(suiteDir, "table.md"))} and {all.Count} experiment folders under {Markup.Escape(resultsRoot)} ({clock.Elapsed.TotalMinutes:0.0} min).");
            return 0;
        });
        return cmd;
    }
}
