using System.CommandLine;
using System.Globalization;
using PromptIntern.Data;
using PromptIntern.Evaluation;
using PromptIntern.Evaluation.Mbpp;
using PromptIntern.Provenance;
using Spectre.Console;

namespace PromptIntern.Cli.Verbs;

/// <summary><c>promptintern eval</c>: scores a predictions JSONL against a task's evaluation file with the paper's metrics
/// and writes per-example results and a summary (JSON, CSV, Markdown) with commit, machine and date.</summary>
public sealed class EvalVerb : IVerb
{
    const int MinMemoryMb = 32; // Python itself needs about that much address space to start

    public Command Build()
    {
        var task = new Option<string>("--task") { Description = $"Task: {string.Join(", ", TaskName.All)}", Required = true };
        var evalFile = new Option<string?>("--eval-file") { Description = "Evaluation JSONL (default: data/<task>/dev.jsonl)" };
        var predictions = new Option<string>("--predictions") { Description = "Predictions JSONL, one {\"id\", \"prediction\"} per line", Required = true };
        var output = new Option<string?>("--out") { Description = "Output folder (default: results/eval/<name>)" };
        var name = new Option<string?>("--name") { Description = "Run name (default: <task>-<predictions file name>)" };
        var timeout = new Option<double>("--timeout") { Description = "MBPP: seconds per program (wall and CPU)", DefaultValueFactory = _ => 10 }
            .AboveZeroUpTo(SandboxOptions.MaxTimeoutSeconds);
        var memory = new Option<int>("--memory-mb") { Description = "MBPP: address-space limit per program, MB", DefaultValueFactory = _ => 256 }
            .AtLeast(MinMemoryMb);
        var parallel = new Option<int>("--parallel") { Description = "MBPP: programs run at once", DefaultValueFactory = _ => Environment.ProcessorCount }.Positive();
        var unsafeRun = new Option<bool>("--unsafe-no-isolation") { Description = "MBPP: run programs without namespaces if no sandbox works here (dangerous)", DefaultValueFactory = _ => false };
        var command = new Command("eval", "Score predictions with the paper's metrics: pass@1 (MBPP), BLEU/command_acc/template_acc (NL2Bash), EM/normalized_match/exec_match (NL2Formula)");
        foreach (var o in new Option[] { task, evalFile, predictions, output, name, timeout, memory, parallel, unsafeRun }) command.Options.Add(o);
        command.SetAction(p =>
        {
            try
            {
                var t = TaskName.Parse(p.GetValue(task)!);
                var refsPath = Path.GetFullPath(p.GetValue(evalFile) ?? KitPaths.Split(t, "dev"));
                var predsPath = Path.GetFullPath(p.GetValue(predictions)!);
                var runName = p.GetValue(name) ?? $"{t}-{Path.GetFileNameWithoutExtension(predsPath)}";
                var dir = OutputFolder.CheckWritable(p.GetValue(output) ?? Path.Combine(KitPaths.Results, "eval", runName), "--out");
                var references = TaskRows.CheckFit(t, JsonlDataset.Load(refsPath), refsPath);
                var preds = PredictionFile.Align(references, PredictionFile.Load(predsPath), predsPath, refsPath);
                var sandbox = new SandboxOptions
                {
                    TimeoutSeconds = p.GetValue(timeout), MemoryBytes = p.GetValue(memory) * 1024L * 1024,
                    Parallelism = Math.Max(1, p.GetValue(parallel)), UnsafeNoIsolation = p.GetValue(unsafeRun),
                };
                var config = new Dictionary<string, object?> { ["task"] = t, ["eval_file"] = refsPath, ["predictions"] = predsPath };
                MetricReport report;
                if (t == TaskName.Mbpp)
                {
                    report = null!;
                    AnsiConsole.Progress().Start(ctx =>
                    {
                        var bar = ctx.AddTask("running programs in the sandbox", maxValue: references.Count);
                        var metric = new MbppMetric(sandbox) { Progress = done => bar.Value = done };
                        report = metric.Score(references, preds);
                        config["sandbox_isolation"] = metric.LastIsolation?.ToString();
                    });
                    config["timeout_s"] = sandbox.TimeoutSeconds;
                    config["memory_mb"] = sandbox.MemoryBytes / (1024 * 1024);
                    config["parallel"] = sandbox.Parallelism;
                }
                else report = TaskMetrics.For(t).Score(references, preds);

                var files = EvaluationRecord.Write(dir, report, RunProvenance.Capture(config));
                var table = new Table().AddColumn("task").AddColumn("examples");
                foreach (var m in report.MetricNames) table.AddColumn(m);
                table.AddRow(new[] { t, report.Examples.Count.ToString(CultureInfo.InvariantCulture) }
                    .Concat(report.MetricNames.Select(m => report.Metrics[m].ToString("0.00", CultureInfo.InvariantCulture))).ToArray());
                AnsiConsole.Write(table);
                if (t == TaskName.Mbpp)
                    AnsiConsole.MarkupLineInterpolated($"reasons: {string.Join(", ", report.Examples.GroupBy(e => e.Fields["reason"]).Select(g => $"{g.Key} {g.Count()}"))}");
                foreach (var f in files) AnsiConsole.MarkupLineInterpolated($"wrote {f}");
                return 0;
            }
            catch (InvalidOperationException e)
            {
                throw new ArgumentException(e.Message, e); // no sandbox here, or the like: one line on stderr (CliErrors)
            }
        });
        return command;
    }
}
