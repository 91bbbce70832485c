using System.CommandLine;
using PromptIntern.Absorption;
using PromptIntern.Compression;
using PromptIntern.Curriculum;
using PromptIntern.Data;
using PromptIntern.Provenance;
using PromptIntern.Prompts;
using PromptIntern.Scheduling;
using PromptIntern.Text;
using Spectre.Console;

namespace PromptIntern.Cli.Verbs;

/// <summary>`promptintern curriculum`: writes one fine-tuning JSONL per stage of a plan, with a token and cost summary.</summary>
public sealed class CurriculumVerb : IVerb
{
    public Command Build()
    {
        var task = CommonOptions.Task();
        var plan = new Option<string>("--plan")
        {
            Description = $"preset name ({string.Join(", ", PlanPresets.Names)}) or a plan JSON file",
            DefaultValueFactory = _ => PlanPresets.DefaultName,
        };
        var outDir = new Option<string>("--out") { Description = "output folder (stage files, plan.json, summary.md, summary.json)", Required = true };
        var trainFile = new Option<string?>("--train-file") { Description = "train rows [default: data/<task>/train.jsonl]" };
        var evalFile = CommonOptions.EvalFile();
        evalFile.Description = "queries on which inference tokens are measured [default: data/<task>/dev.jsonl]";
        var templateDir = new Option<string?>("--templates") { Description = "folder holding <task>.md instruction templates [default: data/templates]" };
        var format = new Option<string>("--format") { Description = "openai (chat messages) or trl (prompt/completion)", DefaultValueFactory = _ => "openai" };
        var tokenizer = CommonOptions.Tokenizer();
        var compressor = new Option<string>("--compressor")
        {
            Description = $"template compressor: {string.Join(", ", Compressors.Methods)} (LM-scored ones use the n-gram fallback scorer)",
            DefaultValueFactory = _ => Compressors.LlmLingua2,
        };
        var price = new Option<double?>("--train-price") { Description = "training price, USD per 1M tokens, for the cost estimate (none: no estimate)" }.AtLeast(0.0);
        var maxTokens = new Option<int>("--max-example-tokens") { Description = "per-example token limit checked in every file", DefaultValueFactory = _ => 65_536 }.Positive();
        var fullShots = new Option<int>("--full-shots") { Description = "examples in the full prompt the inference layout is compared with", DefaultValueFactory = _ => 3 }.AtLeast(0);
        var limit = new Option<int?>("--limit") { Description = "use only the first N train rows (quick runs) [default: all]" }.Positive();

        var cmd = new Command("curriculum", "build the progressive fine-tuning sets of a plan and export them as JSONL, one file per stage");
        foreach (var o in new Option[] { task, plan, outDir, trainFile, evalFile, templateDir, format, tokenizer, compressor, price, maxTokens, fullShots, limit })
            cmd.Options.Add(o);
        cmd.SetAction(r =>
        {
            string t = TaskName.Parse(r.GetValue(task)!);
            string planArg = r.GetValue(plan)!;
            var thePlan = File.Exists(planArg) || planArg.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? PlanJson.Load(planArg) : PlanPresets.Get(planArg);
            string trainPath = r.GetValue(trainFile) ?? KitPaths.Split(t, "train");
            string evalPath = CommonOptions.EvalPath(r.GetValue(evalFile), t);
            var train = JsonlDataset.Load(trainPath);
            if (r.GetValue(limit) is { } n) train = train.Take(n).ToList();
            var evalRows = JsonlDataset.Load(evalPath);
            string template = r.GetValue(templateDir) is { } dir ? TaskTemplates.Get(t, dir) : TaskTemplates.Get(t);
            var fmt = FineTuneFormats.Parse(r.GetValue(format)!);
            var counter = CostTokenizer.Get(r.GetValue(tokenizer)!);
            string output = OutputFolder.CheckWritable(r.GetValue(outDir)!, "--out");

            var builder = new CurriculumBuilder(template, CompressorFor(r.GetValue(compressor)!, counter), TaskTemplates.ForcedSpans(t), new Bm25Retriever(train),
                new TaskTextFormat(e => TaskFormat.QueryText(t, e), e => TaskFormat.AnswerText(t, e)));
            CliConsole.Out.MarkupLine($"Plan [bold]{Markup.Escape(thePlan.Name)}[/]: {Markup.Escape(thePlan.Description)}");
            CliConsole.Out.MarkupLine($"Train {Markup.Escape(trainPath)} ({train.Count:N0} rows); template compressor {Markup.Escape(builder.CompressorName)}; retriever {builder.RetrieverName}");

            CurriculumReport report = null!;
            (string Json, string Markdown) written = default;
            // Stage files, plan and summary are written into a staging folder that replaces --out whole: a failure
            // part-way leaves --out as it was, never a folder of some stage files and no plan.
            AtomicFolder.Write(output, staging => CliConsole.Out.Progress().Start(ctx =>
            {
                var build = ctx.AddTask("retrieve + build stages", maxValue: 1);
                var curriculum = builder.Build(train, thePlan);
                build.Increment(1);
                var export = ctx.AddTask("export + validate + count", maxValue: curriculum.Stages.Count);
                report = CurriculumExport.Run(curriculum, t, staging, fmt, counter, evalRows, r.GetValue(fullShots), r.GetValue(price),
                    new FineTuneLimits(r.GetValue(maxTokens)), RunInfo(r.Tokens.Select(x => x.Value)), (done, _) => export.Value = done);
                PlanJson.Save(Path.Combine(staging, "plan.json"), thePlan);
                written = CurriculumReportWriter.Write(report, staging);
            }));
            var (json, md) = (Path.Combine(output, Path.GetFileName(written.Json)!), Path.Combine(output, Path.GetFileName(written.Markdown)!));
            Print(report);
            CliConsole.Out.MarkupLine($"Wrote {report.Stages.Count} stage files, plan.json, {Markup.Escape(md)} and {Markup.Escape(json)}");
            return 0;
        });
        return cmd;
    }

    /// <summary>The template compressor by CLI name, counting in the report's tokenizer.</summary>
    static IPromptCompressor CompressorFor(string name, ITokenCounter counter)
    {
        var method = name.Trim().ToLowerInvariant();
        if (!Compressors.Methods.Contains(method))
            throw new ArgumentException($"unknown compressor '{name}'; known: {string.Join(", ", Compressors.Methods)}");
        var scorer = method is Compressors.Truncate or Compressors.Random ? null : NGramTokenScorer.TrainOnTaskData(KitPaths.Data);
        return Compressors.Create(method, scorer!, counter);
    }

    static void Print(CurriculumReport r)
    {
        var table = new Table().Title($"{r.Task} · plan {Markup.Escape(r.Plan)} · {r.Format} · tokens: {r.Tokenizer}");
        foreach (var c in new[] { "stage", "template", "shots", "epochs", "examples", "in tok/query", "train tokens", "× epochs", "est. USD" })
            table.AddColumn(new TableColumn(c));
        foreach (var s in r.Stages)
            table.AddRow(s.Stage.ToString(), s.KeepRate is { } x ? x.ToString("0.###") : "dropped", s.Shots.ToString(),
                s.Epochs.ToString("0.##"), s.Examples.ToString("N0"), s.InputTokensPerQuery.ToString("N0"), s.TrainingTokens.ToString("N0"),
                s.TrainedTokens.ToString("N0"), s.EstimatedCostUsd?.ToString("0.00") ?? "n/a");
        table.AddRow("total", "", "", r.PlanEpochs.ToString("0.##"), "", "", r.TotalTrainingTokens.ToString("N0"),
            r.TotalTrainedTokens.ToString("N0"), r.TotalEstimatedCostUsd?.ToString("0.00") ?? "n/a");
        CliConsole.Out.Write(table);
        var i = r.Inference;
        CliConsole.Out.MarkupLine($"Inference ({i.Layout}): {i.InputTokensPerQuery:N1} input tokens/query vs {i.FullPromptTokensPerQuery:N1} " +
                               $"for the full prompt (template + {i.FullPromptShots} examples) over {i.Queries:N0} queries: [bold]{i.Reduction:P1} fewer[/]");
    }

    /// <summary>Provenance recorded in summary.json: commit, machine, date, and the command line as its config.</summary>
    static RunProvenance RunInfo(IEnumerable<string> args) =>
        RunProvenance.Capture(new Dictionary<string, object?> { ["command"] = "promptintern " + string.Join(' ', args) });
}
