using System.CommandLine;
using PromptIntern.Compression;
using PromptIntern.Data;
using PromptIntern.Experiments;
using PromptIntern.Modeling;
using PromptIntern.Figures;
using PromptIntern.Scheduling;
using PromptIntern.UserTasks;
using PromptIntern.Training;
using Spectre.Console;

namespace PromptIntern.Cli.Verbs;

/// <summary>`promptintern internalize`: PromptIntern for a task the user brings in a task file — trains the full-prompt,
/// query-only and internalized models, prints one comparison table with the recommended layout; or exports the per-stage
/// fine-tuning files (--export-only), or searches a grid of schedules (--search).</summary>
public sealed class InternalizeVerb : IVerb
{
    public Command Build()
    {
        var taskFile = new Option<string?>("--task-file") { Description = "the task definition (JSON; see examples/order-extraction/task.json)" };
        var model = new Option<string>("--model") { Description = "base model directory", DefaultValueFactory = _ => KitPaths.TinyModelFolder };
        var plan = new Option<string>("--plan") { Description = $"plan preset ({string.Join(", ", PlanPresets.Names)}) or a plan JSON file", DefaultValueFactory = _ => PlanPresets.DefaultName };
        var trainRows = new Option<int>("--train-rows") { Description = "train rows used (seeded sample; 0 = all)", DefaultValueFactory = _ => 400 }.AtLeast(0);
        var evalRows = new Option<int>("--eval-rows") { Description = "dev rows evaluated (first N; 0 = all)", DefaultValueFactory = _ => 60 }.AtLeast(0);
        var epochs = new Option<double>("--epochs") { Description = "epochs over all stages", DefaultValueFactory = _ => 4 }.Positive();
        var outDir = new Option<string?>("--out") { Description = "output folder [default: results/internalize/<task name>]" };
        var runs = new Option<string?>("--runs") { Description = "checkpoints folder (resumable) [default: runs/internalize/<task name>]" };
        var exportOnly = new Option<string?>("--export-only") { Description = "only write the per-stage fine-tuning JSONL (openai/ and trl/) into this folder; no training" };
        var compressor = new Option<string>("--compressor") { Description = $"template compressor: {string.Join(", ", Compressors.Methods)}", DefaultValueFactory = _ => Compressors.LlmLingua2 };
        var loraR = new Option<int>("--lora-r") { Description = "LoRA rank; 0 = full fine-tuning", DefaultValueFactory = _ => 0 }.AtLeast(0);
        var loraAlpha = new Option<double>("--lora-alpha") { Description = "LoRA alpha", DefaultValueFactory = _ => 64 }.Positive();
        var loraDropout = new Option<double>("--lora-dropout") { Description = "LoRA dropout", DefaultValueFactory = _ => 0.05 }.Check(v => v >= 0 && v < 1, "must be at least 0 and below 1");
        var loraTargets = new Option<string>("--lora-targets") { Description = "LoRA target modules", DefaultValueFactory = _ => "q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj" };
        var lr = new Option<double>("--lr") { Description = "learning rate", DefaultValueFactory = _ => 1e-3 }.Positive();
        var batch = new Option<int>("--batch") { Description = "micro-batch size", DefaultValueFactory = _ => 8 }.Positive();
        var seq = new Option<int>("--max-seq-length") { Description = "training sequence cap (tokens)", DefaultValueFactory = _ => 1024 }.AtLeast(2);
        var newTokens = new Option<int>("--max-new-tokens") { Description = "generation cap per answer", DefaultValueFactory = _ => 64 }.Positive();
        var templateCap = new Option<int>("--template-cap") { Description = "keep at most this many template tokens (o200k, whole paragraphs; 0 = all)", DefaultValueFactory = _ => 0 }.AtLeast(0);
        var device = new Option<string>("--device") { Description = "cpu, cuda, cuda:N or auto", DefaultValueFactory = _ => "cpu" };
        var search = new Option<bool>("--search") { Description = "schedule search: stages 2/4 × linear/exponential × template dropped/0.3, on --search-eval-rows dev rows" };
        var searchRows = new Option<int>("--search-eval-rows") { Description = "dev rows the search evaluates on", DefaultValueFactory = _ => 30 }.Positive();
        var tolerance = new Option<double>("--tolerance") { Description = "accuracy points a cheaper layout may lose against the full prompt", DefaultValueFactory = _ => 1.0 }.AtLeast(0.0);
        var seed = new Option<int>("--seed") { Description = "seed", DefaultValueFactory = _ => 1337 };
        var force = new Option<bool>("--force") { Description = "re-run layouts that already have results" };
        var makeExample = new Option<string?>("--make-example") { Description = "write the order-extraction example's train/dev JSONL into this folder and exit" };
        var cmd = new Command("internalize", "internalize your own task's prompt: train, compare full prompt / query-only / internalized, recommend a layout");
        foreach (var o in new Option[] { taskFile, model, plan, trainRows, evalRows, epochs, outDir, runs, exportOnly, compressor, loraR, loraAlpha, loraDropout,
                     loraTargets, lr, batch, seq, newTokens, templateCap, device, search, searchRows, tolerance, seed, force, makeExample })
            cmd.Options.Add(o);
        cmd.SetAction(r =>
        {
            if (r.GetValue(makeExample) is { } exampleDir)
            {
                OrderExtractionExample.WriteData(exampleDir);
                CliConsole.Out.MarkupLine($"Wrote {Markup.Escape(Path.Combine(exampleDir, "train.jsonl"))} and dev.jsonl");
                return 0;
            }
            var task = UserTaskFile.Load(r.GetValue(taskFile) ?? throw new ArgumentException("--task-file is required"));
            UserTaskFile.LoadData(task);
            var planArg = r.GetValue(plan)!;
            var thePlan = File.Exists(planArg) || planArg.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? PlanJson.Load(planArg) : PlanPresets.Get(planArg);
            var preset = ReproducePreset.Quick with
            {
                Name = "internalize", Model = r.GetValue(model)!, TrainRows = r.GetValue(trainRows), EvalRows = r.GetValue(search) ? r.GetValue(searchRows) : r.GetValue(evalRows),
                Epochs = r.GetValue(epochs), LearningRate = r.GetValue(lr), MicroBatchSize = r.GetValue(batch), MaxSeqLength = r.GetValue(seq),
                MaxNewTokens = r.GetValue(newTokens), TemplateTokenCap = r.GetValue(templateCap), Device = r.GetValue(device)!,
                Precision = Devices.Parse(r.GetValue(device)!).type == TorchSharp.DeviceType.CUDA ? "bf16" : "fp32",
            };
            var options = new InternalizeOptions
            {
                Preset = preset, ModelDirectory = Path.GetFullPath(r.GetValue(model)!), Plan = thePlan, Compressor = r.GetValue(compressor)!,
                Lora = ModelCli.Lora(r.GetValue(loraR), r.GetValue(loraAlpha), r.GetValue(loraDropout), r.GetValue(loraTargets)!),
                TolerancePoints = r.GetValue(tolerance), Seed = r.GetValue(seed), Force = r.GetValue(force),
                OutputDirectory = Path.GetFullPath(r.GetValue(outDir) ?? Path.Combine(KitPaths.Results, "internalize", task.Name)),
                RunsRoot = Path.GetFullPath(r.GetValue(runs) ?? Path.Combine(KitPaths.Root, "runs", "internalize", task.Name)),
            };
            if (!File.Exists(Path.Combine(options.ModelDirectory, "config.json")))
                throw new FileNotFoundException($"{options.ModelDirectory}: no base model here (config.json missing); pass --model DIR");
            if (r.GetValue(exportOnly) is { } exportDir)
            {
                var reports = FineTuneHandoff.Export(task, options, Path.GetFullPath(exportDir));
                foreach (var rep in reports)
                    CliConsole.Out.MarkupLine($"{rep.Format}: {rep.Stages.Count} stage files in {Markup.Escape(Path.Combine(exportDir, rep.Format))}; " +
                                              $"inference {rep.Inference.InputTokensPerQuery:0.0} vs full prompt {rep.Inference.FullPromptTokensPerQuery:0.0} tokens/query ({rep.Tokenizer})");
                return 0;
            }
            CliConsole.Out.MarkupLine($"Task [bold]{Markup.Escape(task.Name)}[/] from {Markup.Escape(task.SourceFile)}; metric {task.Metric.MetricName}; " +
                                      $"model {Markup.Escape(options.ModelDirectory)}; outputs {Markup.Escape(options.OutputDirectory)}");
            if (r.GetValue(search))
            {
                var found = WithProgress(task.Name, p => ScheduleSearch.Run(task, options, progress: p));
                CliTable.Print($"{task.Name}: schedule search on {preset.EvalRows} dev rows", ScheduleSearchResult.Columns, found.Cells(),
                    caption: $"recommended: {found.Recommended.Method} ({found.Recommended.Layout}), tolerance {found.TolerancePoints} points");
                var figure = FigureExporter.Save(found.Chart(), $"{task.Name}-schedule-search", Path.Combine(options.OutputDirectory, "search"));
                CliConsole.Out.MarkupLine($"Wrote {Markup.Escape(Path.Combine(options.OutputDirectory, "search", "table.md"))}, {Markup.Escape(figure.HtmlPath)}" +
                                          (figure.PngPath != null ? $" and {Markup.Escape(figure.PngPath)}" : ""));
                return 0;
            }
            var result = WithProgress(task.Name, p => Internalizer.Run(task, options, p));
            CliTable.Print($"{task.Name}: plan {thePlan.Name}, {preset.EvalRows} dev rows, model {Path.GetFileName(options.ModelDirectory)}",
                InternalizeResult.Columns, result.Cells(), caption: result.RecommendationText);
            CliConsole.Out.MarkupLine($"Wrote {Markup.Escape(Path.Combine(options.OutputDirectory, "internalize", "table.md"))} and one folder per layout under {Markup.Escape(options.ResultsDirectory)}");
            return 0;
        });
        return cmd;
    }

    /// <summary>Runs <paramref name="work"/> under one progress bar that shows the phase, the stage and its step.</summary>
    static T WithProgress<T>(string name, Func<IProgress<ExperimentProgress>, T> work)
    {
        T result = default!;
        CliConsole.Out.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var bar = ctx.AddTask(Markup.Escape(name), maxValue: 1);
                result = work(new InlineProgress<ExperimentProgress>(x =>
                {
                    bar.Description = Markup.Escape($"{name}: {x.Phase}" + (x.MaxSteps > 0 ? $" step {x.Step}/{x.MaxSteps} loss {x.Loss:0.000}" : ""));
                    bar.Value = x.MaxSteps > 0 ? (double)x.Step / x.MaxSteps : bar.Value;
                }));
                bar.Value = 1;
            });
        return result;
    }
}
