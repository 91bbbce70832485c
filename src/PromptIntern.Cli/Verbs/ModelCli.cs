using PromptIntern.Corpus;
using PromptIntern.Modeling;
using PromptIntern.Training;
using Spectre.Console;

namespace PromptIntern.Cli.Verbs;

/// <summary>Bits shared by the model verbs (pretrain, train, generate, bench): progress bar over a training run, corpus reading.</summary>
static class ModelCli
{
    /// <summary>Runs <paramref name="run"/> under a progress bar showing step, loss and tokens/s; also prints one log line per interval.</summary>
    public static TrainingSummary WithProgressBar(string title, int maxSteps, Func<IProgress<TrainingProgress>, TrainingSummary> run)
    {
        TrainingSummary? summary = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(title), maxValue: maxSteps);
                summary = run(new InlineProgress<TrainingProgress>(p =>
                {
                    task.Value = p.Step;
                    task.Description = Markup.Escape($"{title} | loss {p.Loss:0.000} | {p.TokensPerSecond:0} tok/s");
                    AnsiConsole.MarkupLine("[grey]{0}[/]", Markup.Escape(TrainingLoop.FormatLine(p)));
                }));
                task.Value = maxSteps;
            });
        return summary!;
    }

    /// <summary>Documents from a `corpus build` folder (corpus.jsonl), or from files and folders: .jsonl lines contribute their string fields joined; any other file is one document.</summary>
    public static List<string> ReadCorpus(IEnumerable<string> paths)
    {
        var files = new List<string>();
        var docs = new List<string>();
        foreach (var p in paths)
        {
            // A corpus built by `promptintern corpus build` (folder with corpus.jsonl, or that file itself).
            if (Directory.Exists(p) && File.Exists(Path.Combine(p, PretrainCorpus.CorpusFile)) || Path.GetFileName(p) == PretrainCorpus.CorpusFile)
            {
                docs.AddRange(PretrainCorpus.ReadDocuments(p).Select(d => d.Text));
                continue;
            }
            if (Directory.Exists(p)) files.AddRange(Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories).Order());
            else if (File.Exists(p)) files.Add(p);
            else throw new FileNotFoundException($"--corpus: no such file or folder: {p}", p);
        }
        foreach (var f in files)
        {
            if (f.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
                foreach (var line in File.ReadLines(f).Where(l => !string.IsNullOrWhiteSpace(l)))
                {
                    using var doc = System.Text.Json.JsonDocument.Parse(line);
                    docs.Add(string.Join("\n", doc.RootElement.EnumerateObject().Where(x => x.Value.ValueKind == System.Text.Json.JsonValueKind.String).Select(x => x.Value.GetString())));
                }
            else docs.Add(File.ReadAllText(f));
        }
        if (docs.Count == 0) throw new ArgumentException("--corpus: no documents found.");
        return docs;
    }

    public static void PrintSummary(TrainingSummary s, string modelDir)
    {
        var t = new Table().AddColumns("steps", "resumed from", "final loss", "tokens/s", "elapsed", "model");
        t.AddRow(s.Steps.ToString(), s.ResumedFromStep.ToString(), s.FinalLoss.ToString("0.0000"), s.TokensPerSecond.ToString("0"), $"{s.ElapsedSeconds:0.0} s", Markup.Escape(modelDir));
        AnsiConsole.Write(t);
    }

    public static LoraConfig? Lora(int r, double alpha, double dropout, string targets) =>
        r <= 0 ? null : new LoraConfig { R = r, Alpha = alpha, Dropout = dropout, TargetModules = targets.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) }.Validate();
}
