using System.CommandLine;
using PromptIntern.Corpus;
using PromptIntern.Data;
using Spectre.Console;

namespace PromptIntern.Cli.Verbs;

/// <summary>`promptintern corpus build`: the local pretraining corpus (task train splits, man pages, Python stdlib).</summary>
public sealed class CorpusVerb : IVerb
{
    public Command Build()
    {
        var outDir = new Option<string>("--out") { Description = "Folder for corpus.jsonl and manifest.json", Required = true };
        var maxBytes = new Option<long>("--max-bytes") { Description = "Budget of UTF-8 text bytes", DefaultValueFactory = _ => new PretrainCorpusOptions { DataDir = "" }.MaxBytes }.Positive();
        var sources = CorpusSourceOptions.Create();
        var build = new Command("build", "Build the pretraining corpus from train splits and local permissively licensed text");
        build.Options.Add(outDir);
        build.Options.Add(maxBytes);
        sources.AddTo(build);
        build.SetAction(parse =>
        {
            var options = sources.Read(parse) with { MaxBytes = parse.GetValue(maxBytes) };
            OutputFolder.CheckWritable(parse.GetValue(outDir)!, "--out");
            var manifest = BuildWithProgress(parse.GetValue(outDir)!, options);
            ShowManifest(manifest);
            AnsiConsole.MarkupLineInterpolated($"Wrote [green]{Path.Combine(parse.GetValue(outDir)!, PretrainCorpus.CorpusFile)}[/] and {PretrainCorpus.ManifestFile}");
            return 0;
        });
        var corpus = new Command("corpus", "Pretraining corpus");
        corpus.Subcommands.Add(build);
        return corpus;
    }

    /// <summary>Builds and writes the corpus with a progress bar; shared with `tokenizer train`.</summary>
    internal static CorpusManifest BuildWithProgress(string outDir, PretrainCorpusOptions options)
    {
        CorpusManifest manifest = null!;
        AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("corpus", maxValue: options.MaxBytes);
                manifest = PretrainCorpus.Write(outDir, options, new Inline<CorpusProgress>(p =>
                {
                    task.Description = $"corpus: {p.Source} ({p.Documents} docs)";
                    task.Value = p.Bytes;
                }));
                task.Value = task.MaxValue;
            });
        return manifest;
    }

    internal static void ShowManifest(CorpusManifest m)
    {
        var table = new Table().AddColumns("source", "status", "files found", "documents", "MB", "license");
        foreach (var s in m.Sources)
            table.AddRow(s.Name, s.Status, s.FilesFound.ToString(), s.Documents.ToString(), (s.Bytes / 1e6).ToString("F2"), Markup.Escape(s.License));
        table.AddRow("[bold]total[/]", "", "", m.Documents.ToString(), (m.Bytes / 1e6).ToString("F2"), "");
        AnsiConsole.Write(table);
    }
}

/// <summary>The corpus source options shared by `corpus build` and `tokenizer train`.</summary>
internal sealed class CorpusSourceOptions
{
    Option<string> _data = null!, _man = null!, _python = null!, _packages = null!;
    Option<long> _packageBytes = null!;
    Option<int> _seed = null!;

    public static CorpusSourceOptions Create()
    {
        var here = PretrainCorpusOptions.ForThisMachine(KitPaths.Data);
        return new CorpusSourceOptions
        {
            _data = new Option<string>("--data") { Description = "Folder with <task>/train.jsonl (dev/test are never read)", DefaultValueFactory = _ => KitPaths.Data },
            _man = new Option<string>("--man-root") { Description = "Man page root, or 'none'", DefaultValueFactory = _ => here.ManPageRoot ?? "none" },
            _python = new Option<string>("--python-root") { Description = "Python standard library folder, or 'none'", DefaultValueFactory = _ => here.PythonLibRoot ?? "none" },
            _seed = new Option<int>("--seed") { Description = "Seed for file selection and document order", DefaultValueFactory = _ => here.Seed },
            _packages = new Option<string>("--package-roots")
            {
                Description = "Comma-separated folders whose Python and shell sources Debian packages installed (e.g. /usr/lib/python3/dist-packages,/usr/share,/usr/bin), licences per package; 'none' leaves them out",
                DefaultValueFactory = _ => "none",
            },
            _packageBytes = new Option<long>("--package-bytes") { Description = "Budget of UTF-8 bytes for the package sources (within --max-bytes)", DefaultValueFactory = _ => here.PackageSourceBytes },
        };
    }

    public Option<string> DataOption => _data;

    public void AddTo(Command c)
    {
        c.Options.Add(_data);
        c.Options.Add(_man);
        c.Options.Add(_python);
        c.Options.Add(_seed);
        c.Options.Add(_packages);
        c.Options.Add(_packageBytes);
    }

    public PretrainCorpusOptions Read(ParseResult parse)
    {
        static string? OrNull(string? s) => s is null or "none" ? null : s;
        return new PretrainCorpusOptions
        {
            DataDir = parse.GetValue(_data)!,
            ManPageRoot = OrNull(parse.GetValue(_man)),
            PythonLibRoot = OrNull(parse.GetValue(_python)),
            Seed = parse.GetValue(_seed),
            PackageSourceRoots = OrNull(parse.GetValue(_packages))?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [],
            PackageSourceBytes = parse.GetValue(_packageBytes),
        };
    }
}

/// <summary>An IProgress that reports on the calling thread (Progress&lt;T&gt; would post to the thread pool).</summary>
internal sealed class Inline<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
