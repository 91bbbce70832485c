using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using PromptIntern.Compression;
using PromptIntern.Data;
using PromptIntern.Provenance;
using PromptIntern.Text;
using Spectre.Console;

namespace PromptIntern.Cli.Verbs;

/// <summary><c>promptintern compress</c>: compresses a task's instruction template with one method and shows what
/// was kept, or sweeps every method × rate and writes the table to results/compression/.</summary>
public sealed class CompressVerb : IVerb
{
    public Command Build()
    {
        var task = new Option<string>("--task") { Description = "Task whose template to compress (nl2bash, mbpp, nl2formula; 'all' with --all)", DefaultValueFactory = _ => TaskName.Nl2Bash };
        var method = new Option<string>("--method") { Description = $"Compression method: {string.Join(", ", Compressors.Methods)}", DefaultValueFactory = _ => Compressors.LlmLingua2 };
        var rate = new Option<double>("--rate") { Description = "Fraction of tokens to keep (LLMLingua's rate; 0.3 keeps ~30%)", DefaultValueFactory = _ => 0.5 }.AboveZeroUpTo(1.0);
        var target = new Option<int?>("--target-tokens") { Description = "Exact token budget; overrides --rate (default: none)" }.Positive();
        var question = new Option<string?>("--question") { Description = "Query that question-aware methods condition on (default: the task's first dev query)" };
        var force = new Option<string>("--force-tokens") { Description = "Comma-separated literals always kept (besides code fences, assert lines and ### markers)", DefaultValueFactory = _ => "" };
        var noStructure = new Option<bool>("--no-keep-structure") { Description = "Do not force-keep code fences, assert lines and ### markers (default: keep them)" };
        var seed = new Option<int>("--seed") { Description = "Seed (random drop)", DefaultValueFactory = _ => 1337 };
        var tokenizer = new Option<string>("--tokenizer") { Description = "Counting tokenizer (o200k_base, cl100k_base)", DefaultValueFactory = _ => "o200k_base" };
        var json = new Option<bool>("--json") { Description = "Print one JSON line with the accounting instead of the display" };
        var all = new Option<bool>("--all") { Description = "Sweep every method × rate 0.8/0.5/0.3/0.1 and write CSV + Markdown" };
        var outDir = new Option<string?>("--out-dir") { Description = "Where --all writes (default: results/compression)" };
        var newlines = new Option<bool>("--keep-newlines") { Description = "Also force-keep line breaks (LLMLingua-2's force_tokens=[\"\\n\"]; default: off)" };
        var distill = new Option<bool>("--distill") { Description = "Re-distil the llmlingua2 classifier from llmlingua over the scorer into data/compressors/llmlingua2, then exit" };
        var cacheDir = new Option<string?>("--cache-dir") { Description = "Reuse results stored here by (method, model, rate, template hash), and store new ones (default: no disk cache)" };
        var model = new Option<string?>("--scorer-model") { Description = "Causal LM folder that scores tokens (default: data/models/tiny when present, else the n-gram fallback)" };

        var cmd = new Command("compress", "Compress a task's instruction template (LLMLingua family, Selective Context, random/truncate baselines)");
        foreach (var o in new Option[] { task, method, rate, target, question, force, noStructure, seed, tokenizer, json, all, outDir, model, newlines, distill, cacheDir }) cmd.Options.Add(o);
        cmd.SetAction(p =>
        {
            var counter = CostTokenizer.Get(p.GetValue(tokenizer)!);
            var structure = !p.GetValue(noStructure);
            var extra = p.GetValue(force)!.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(ForceKeep.Literal).ToList();
            if (p.GetValue(newlines)) extra.Add(ForceKeep.Newlines);
            var scorer = p.GetValue(model) is { } scorerDir
                ? (File.Exists(Path.Combine(scorerDir, "config.json")) ? TokenScorers.CausalLm(scorerDir)
                    : throw new FileNotFoundException($"--scorer-model: {Path.GetFullPath(scorerDir)} is not a model folder (no config.json)"))
                : TokenScorers.Default(KitPaths.TinyModel);
            if (p.GetValue(distill)) return Distill(scorer);
            if (p.GetValue(all))
                return Sweep(p.GetValue(task)!, counter, scorer, t => ForceFor(t, structure, extra),
                    OutputFolder.CheckWritable(p.GetValue(outDir) ?? Path.Combine(KitPaths.Results, "compression"), "--out-dir"));
            var taskName = TaskName.Parse(p.GetValue(task)!);
            var forceKeep = ForceFor(taskName, structure, extra);
            var compressor = Compressors.Create(p.GetValue(method)!, scorer, counter);
            if (p.GetValue(cacheDir) is { } dir) compressor = new CachingCompressor(compressor, scorer.Name, dir);
            var result = compressor.Compress(new CompressionRequest
            {
                Instruction = LoadTemplate(taskName),
                Question = p.GetValue(question) ?? SampleQuery(taskName),
                QuestionInPrompt = false,
                KeepRate = p.GetValue(rate),
                TargetTokens = p.GetValue(target),
                ForceKeep = forceKeep,
                Seed = p.GetValue(seed),
            });
            if (p.GetValue(json)) Console.WriteLine(result.ToJson());
            else Show(result, compressor.Name == Compressors.LlmLingua2 ? "distilled BiLSTM classifier" : scorer.Name);
            return 0;
        });
        return cmd;
    }

    static string LoadTemplate(string task) => Prompts.TaskTemplates.Get(task);

    /// <summary>Code fences, assert lines, ### markers and the task's own must-keep spans, unless turned off; plus --force-tokens.</summary>
    static List<string> ForceFor(string task, bool structure, List<string> extra) =>
        (structure ? ForceKeep.PromptStructure.Concat(Prompts.TaskTemplates.ForcedSpans(task).Select(ForceKeep.Literal)) : [])
        .Concat(extra).ToList();

    /// <summary>The first dev query; where the task has no dev split yet, the template's first sentence (what the task asks).</summary>
    static string SampleQuery(string task)
    {
        var dev = KitPaths.Split(task, "dev");
        if (File.Exists(dev) && JsonlDataset.Load(dev).FirstOrDefault() is { } ex) return ex.Query;
        var template = LoadTemplate(task);
        var end = template.IndexOfAny(['.', '\n']);
        return end > 0 ? template[..(end + 1)].Trim() : template.Trim();
    }

    static void Show(CompressionResult r, string scorer)
    {
        var sb = new StringBuilder();
        foreach (var s in r.Spans)
        {
            var text = Markup.Escape(r.OriginalPrompt.Substring(s.Start, s.Length));
            sb.Append(s.Kept ? text : $"[grey strikethrough]{text}[/]");
        }
        AnsiConsole.Write(new Panel(new Markup(sb.ToString())).Header($"{r.Method}: kept (plain) and dropped ([grey strikethrough]struck[/])"));
        AnsiConsole.Write(new Panel(new Spectre.Console.Text(r.CompressedPrompt)).Header("compressed prompt"));
        var t = new Table().AddColumns("method", "scorer", "origin tokens", "compressed tokens", "target", "ratio", "rate", "tokenizer", "time");
        t.AddRow(r.Method, Markup.Escape(scorer), r.OriginTokens.ToString(), r.CompressedTokens.ToString(), r.TargetTokens.ToString(),
            r.RatioText, r.RateText, r.Tokenizer, $"{r.Elapsed.TotalMilliseconds:0} ms");
        AnsiConsole.Write(t);
    }

    static int Sweep(string taskArg, ITokenCounter counter, ITokenScorer scorer, Func<string, List<string>> forceFor, string outDir)
    {
        var tasks = taskArg.Trim().ToLowerInvariant() == "all" ? TaskName.All.ToList() : [TaskName.Parse(taskArg)];
        var templates = tasks.ToDictionary(t => t, t => (LoadTemplate(t), SampleQuery(t)));
        var compressors = Compressors.Methods.Select(m => Compressors.Create(m, scorer, counter)).ToList();
        List<CompressionSweepRow> rows = [];
        AnsiConsole.Progress().Start(ctx =>
        {
            var bar = ctx.AddTask("compressing", maxValue: templates.Count * compressors.Count * CompressionSweep.DefaultRates.Count);
            rows = CompressionSweep.Run(templates, compressors, CompressionSweep.DefaultRates, scorer.Name, forceFor, () => bar.Increment(1));
        });

        var provenance = RunProvenance.Capture(new Dictionary<string, object?>
        {
            ["tasks"] = tasks, ["methods"] = Compressors.Methods, ["rates"] = CompressionSweep.DefaultRates, ["scorer"] = scorer.Name, ["tokenizer"] = counter.Name,
            ["force_keep"] = tasks.ToDictionary(t => t, forceFor), ["question"] = "first dev query of each task, else the template's first sentence (conditions longllmlingua; not counted)",
        });
        var stem = Path.Combine(outDir, "sweep_" + string.Join("_", tasks));
        Directory.CreateDirectory(outDir);
        AtomicFile.WriteAllText(stem + ".csv", CompressionSweep.ToCsv(rows));
        AtomicFile.WriteAllText(stem + ".json", provenance.ToJson());
        AtomicFile.WriteAllText(stem + ".md", CompressionSweep.ToMarkdown(rows,
        [
            "# Template compression: compressed tokens per method and rate",
            "",
            $"Tokens counted with {counter.Name}; LM scorer: {scorer.Name}; llmlingua2: BiLSTM classifier distilled from llmlingua over that scorer.",
            "Force-kept: code fences, assert lines, ### markers and each task's TaskTemplates.ForcedSpans (see the .json). Time: one compression call after a warm-up call, in ms.",
            $"Run: {provenance.Summary}.",
        ]));

        var table = new Table().AddColumns("task", "method", "origin", "rate 0.8", "rate 0.5", "rate 0.3", "rate 0.1");
        foreach (var g in rows.GroupBy(r => (r.Task, r.Method)))
            table.AddRow([g.Key.Task, g.Key.Method, g.First().OriginTokens.ToString(),
                .. CompressionSweep.DefaultRates.Select(rate => g.First(r => r.KeepRate == rate) is var c ? $"{c.CompressedTokens} ({c.Milliseconds:0} ms)" : "")]);
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(stem)}[/].csv, .md, .json");
        return 0;
    }

    static int Distill(ITokenScorer scorer)
    {
        KeepClassifierReport report = null!;
        AnsiConsole.Status().Start($"distilling the llmlingua2 classifier from llmlingua over {scorer.Name}...",
            _ => report = Compressors.DistillClassifier(Compressors.DefaultClassifierDir, scorer).Report);
        var t = new Table().AddColumns("teacher", "texts", "units", "kept by teacher", "final loss", "held-out agreement", "majority baseline", "time");
        t.AddRow(Markup.Escape($"llmlingua over {scorer.Name}"), report.Texts.ToString(), report.Units.ToString(), $"{report.KeptFraction:P1}",
            $"{report.EpochLoss[^1]:0.000}", $"{report.HeldOutAccuracy:P1}", $"{report.HeldOutBaselineAccuracy:P1}", $"{report.Elapsed.TotalSeconds:0} s");
        AnsiConsole.Write(t);
        AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(Compressors.DefaultClassifierDir)}[/]");
        return 0;
    }
}
