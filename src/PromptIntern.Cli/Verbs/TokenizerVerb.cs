using System.CommandLine;
using System.Diagnostics;
using System.Text;
using PromptIntern.Corpus;
using PromptIntern.Data;
using PromptIntern.Provenance;
using PromptIntern.Text;
using Spectre.Console;

namespace PromptIntern.Cli.Verbs;

/// <summary>`promptintern tokenizer train|encode|stats`: the kit's byte-level BPE model tokenizer.</summary>
public sealed class TokenizerVerb : IVerb
{
    static string DefaultTokenizerDir => Path.Combine(KitPaths.Data, "tokenizer");

    public Command Build()
    {
        var cmd = new Command("tokenizer", "Train, inspect and measure the model tokenizer (byte-level BPE)");
        cmd.Subcommands.Add(Train());
        cmd.Subcommands.Add(Encode());
        cmd.Subcommands.Add(Stats());
        return cmd;
    }

    static Command Train()
    {
        var corpusOut = new Option<string>("--corpus-out") { Description = "Folder to build the corpus into (corpus.jsonl + manifest.json)" };
        var corpusIn = new Option<string>("--corpus") { Description = "Use an already built corpus folder instead of building one" };
        var vocabSize = new Option<int>("--vocab-size") { Description = "Vocabulary size, counting 256 bytes and 4 special tokens", DefaultValueFactory = _ => 8192 }.Positive();
        var minFreq = new Option<int>("--min-pair-frequency") { Description = "Rarest pair that may still be merged", DefaultValueFactory = _ => 2 }.AtLeast(1);
        var outDir = new Option<string>("--out") { Description = "Folder for tokenizer.json, vocab.json, merges.txt, tokenizer_config.json, manifest.json", DefaultValueFactory = _ => DefaultTokenizerDir };
        var maxBytes = new Option<long>("--max-bytes") { Description = "Corpus budget in UTF-8 bytes (when building)", DefaultValueFactory = _ => new PretrainCorpusOptions { DataDir = "" }.MaxBytes }.Positive();
        var sources = CorpusSourceOptions.Create();
        var c = new Command("train", "Build (or read) the pretraining corpus, train a BPE vocabulary on it, save it and report its compression");
        foreach (var o in new Option[] { corpusOut, corpusIn, vocabSize, minFreq, outDir, maxBytes }) c.Options.Add(o);
        sources.AddTo(c);
        c.SetAction(parse =>
        {
            var provenance = RunProvenance.Capture(new Dictionary<string, object?>
            {
                ["vocab_size"] = parse.GetValue(vocabSize), ["min_pair_frequency"] = parse.GetValue(minFreq),
                ["max_bytes"] = parse.GetValue(maxBytes), ["corpus"] = parse.GetValue(corpusIn) ?? parse.GetValue(corpusOut),
            });
            string? existing = parse.GetValue(corpusIn), buildInto = parse.GetValue(corpusOut);
            if (existing is null == (buildInto is null))
                throw new ArgumentException("tokenizer train: give exactly one of --corpus-out (build a corpus) or --corpus (use a built one)");
            var corpusOptions = sources.Read(parse) with { MaxBytes = parse.GetValue(maxBytes) };
            CorpusManifest? corpusManifest = existing is null ? CorpusVerb.BuildWithProgress(buildInto!, corpusOptions) : ReadCorpusManifest(existing);
            if (corpusManifest is not null) CorpusVerb.ShowManifest(corpusManifest);
            string corpusDir = existing ?? buildInto!;

            var trainerOptions = new BpeTrainerOptions { VocabSize = parse.GetValue(vocabSize), MinPairFrequency = parse.GetValue(minFreq) };
            ModelTokenizer tokenizer = null!;
            var clock = Stopwatch.StartNew();
            AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(ctx =>
                {
                    var counting = ctx.AddTask("counting pre-tokens", maxValue: 1);
                    var merging = ctx.AddTask("merging pairs", maxValue: trainerOptions.VocabSize);
                    tokenizer = ModelTokenizer.Train(PretrainCorpus.ReadDocuments(corpusDir).Select(d => d.Text), trainerOptions.VocabSize, trainerOptions,
                        progress: new Inline<BpeTrainingProgress>(p =>
                        {
                            if (p.Phase == "counting") { counting.Description = $"counting pre-tokens ({p.Done / 1e6:F1}M chars)"; if (p.Total > 0) counting.Value = 1; }
                            else { counting.Value = 1; merging.MaxValue = p.Total; merging.Value = p.Done; }
                        }));
                    merging.Value = merging.MaxValue;
                });
            clock.Stop();

            var dir = OutputFolder.CheckWritable(parse.GetValue(outDir)!, "--out");
            tokenizer.Save(dir);
            var stats = MeasureTasks(tokenizer, parse.GetValue(sources.DataOption)!);
            TokenizerManifest.Create(tokenizer, trainerOptions, clock.Elapsed, corpusManifest, stats, provenance).Write(dir);
            ShowStats(stats);
            AnsiConsole.MarkupLineInterpolated($"Trained [green]{tokenizer.Name}[/]: {tokenizer.VocabSize} tokens, {tokenizer.Model.Merges.Count} merges in {clock.Elapsed.TotalSeconds:F1} s; wrote {dir}");
            return 0;
        });
        return c;
    }

    static Command Encode()
    {
        var tok = new Option<string>("--tokenizer") { Description = "Tokenizer folder", DefaultValueFactory = _ => DefaultTokenizerDir };
        var text = new Option<string>("--text") { Description = "Text to encode (\\n and \\t are unescaped)", Required = true };
        var special = new Option<bool>("--parse-special") { Description = "Read literal special tokens such as <|eos|> as their ids", DefaultValueFactory = _ => false };
        var c = new Command("encode", "Show the tokens of a text");
        c.Options.Add(tok);
        c.Options.Add(text);
        c.Options.Add(special);
        c.SetAction(parse =>
        {
            var t = ModelTokenizer.Load(parse.GetValue(tok)!);
            var input = parse.GetValue(text)!.Replace("\\n", "\n").Replace("\\t", "\t");
            var spans = t.EncodeWithOffsets(input, parse.GetValue(special));
            var table = new Table().AddColumns("#", "id", "token (vocab.json)", "text").Title($"{t.Name}: {spans.Count} tokens, {input.Length} chars");
            for (int i = 0; i < spans.Count; i++)
                table.AddRow(i.ToString(), spans[i].Id.ToString(), Markup.Escape(t.TokenString(spans[i].Id)), Markup.Escape(Visible(input.Substring(spans[i].Start, spans[i].Length))));
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLineInterpolated($"ids: {string.Join(' ', spans.Select(s => s.Id))}");
            return 0;
        });
        return c;
    }

    static Command Stats()
    {
        var tok = new Option<string>("--tokenizer") { Description = "Tokenizer folder", DefaultValueFactory = _ => DefaultTokenizerDir };
        var data = new Option<string>("--data") { Description = "Folder with <task>/dev.jsonl and templates/", DefaultValueFactory = _ => KitPaths.Data };
        var c = new Command("stats", "Compression of a tokenizer on each task's dev split (chars/token, tokens per query and template)");
        c.Options.Add(tok);
        c.Options.Add(data);
        c.SetAction(parse =>
        {
            var t = ModelTokenizer.Load(parse.GetValue(tok)!);
            ShowStats(MeasureTasks(t, parse.GetValue(data)!));
            return 0;
        });
        return c;
    }

    static List<TokenizerCompression> MeasureTasks(ModelTokenizer t, string dataDir) =>
        TaskName.All
            .Select(task => (task, path: Path.Combine(dataDir, task, "dev.jsonl")))
            .Where(x => File.Exists(x.path))
            .Select(x => TokenizerCompression.Measure(t, x.task, "dev", x.path, Path.Combine(dataDir, "templates", x.task + ".md")))
            .ToList();

    static void ShowStats(IReadOnlyList<TokenizerCompression> stats)
    {
        var table = new Table().AddColumns("task", "split", "rows", "chars/tok", "o200k", "query", "answer", "doc", "template (o200k)")
            .Caption("chars per token on query+answer documents (o200k_base alongside); mean tokens per query, answer, document; template tokens");
        foreach (var s in stats)
            table.AddRow(s.Task, s.Split, s.Examples.ToString(), s.CharsPerToken.ToString("F2"), s.O200kCharsPerToken.ToString("F2"),
                s.MeanQueryTokens.ToString("F1"), s.MeanAnswerTokens.ToString("F1"), s.MeanDocumentTokens.ToString("F1"),
                s.TemplateTokens is null ? "-" : $"{s.TemplateTokens} ({s.O200kTemplateTokens})");
        AnsiConsole.Write(table);
    }

    static CorpusManifest? ReadCorpusManifest(string dir)
    {
        var path = Path.Combine(dir, PretrainCorpus.ManifestFile);
        return File.Exists(path) ? System.Text.Json.JsonSerializer.Deserialize<CorpusManifest>(File.ReadAllText(path)) : null;
    }

    static string Visible(string s)
    {
        var sb = new StringBuilder();
        foreach (char c in s)
            sb.Append(c switch { '\n' => "\\n", '\t' => "\\t", '\r' => "\\r", ' ' => "·", _ when char.IsControl(c) => $"\\u{(int)c:X4}", _ => c.ToString() });
        return sb.ToString();
    }
}
