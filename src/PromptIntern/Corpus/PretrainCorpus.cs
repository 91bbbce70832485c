using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PromptIntern.Data;
using PromptIntern.Prompts;
using PromptIntern.Provenance;

namespace PromptIntern.Corpus;

/// <summary>Builds the local pretraining corpus for the kit's base models and tokenizer: the task train splits rendered
/// as "### Query: / ### Answer:" documents, Debian man pages converted to plain text, and Python standard-library
/// sources. Dev and test splits are never read. Deterministic for a given machine and options.</summary>
public static class PretrainCorpus
{
    public const string CorpusFile = "corpus.jsonl";
    public const string ManifestFile = "manifest.json";

    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = false,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    // Licenses of the task data, as recorded in data/DATASETS.md.
    static readonly Dictionary<string, string> TaskLicenses = new()
    {
        [TaskName.Nl2Bash] = "MIT",
        [TaskName.Mbpp] = "CC-BY-4.0",
        [TaskName.Nl2Formula] = "see data/DATASETS.md",
    };

    /// <summary>Builds the corpus and writes corpus.jsonl (one document per line: id, source, license, text) and
    /// manifest.json into <paramref name="outDir"/>.</summary>
    public static CorpusManifest Write(string outDir, PretrainCorpusOptions options,
        IProgress<CorpusProgress>? progress = null, CancellationToken cancel = default)
    {
        var (docs, manifest) = Build(options, progress, cancel);
        if (docs.Count == 0)
            throw new ArgumentException($"corpus: no documents found (task train splits under {Path.GetFullPath(options.DataDir)}, " +
                $"man pages: {options.ManPageRoot ?? "none"}, Python sources: {options.PythonLibRoot ?? "none"}); nothing written");
        AtomicFile.WriteLines(Path.Combine(outDir, CorpusFile), docs.Select(d => JsonSerializer.Serialize(d, Json)));
        AtomicFile.WriteAllText(Path.Combine(outDir, ManifestFile),
            JsonSerializer.Serialize(manifest, new JsonSerializerOptions(Json) { WriteIndented = true }));
        return manifest;
    }

    /// <summary>Streams the documents of a corpus written by <see cref="Write"/> (folder or corpus.jsonl path).</summary>
    public static IEnumerable<CorpusDocument> ReadDocuments(string corpusPath)
    {
        var file = Directory.Exists(corpusPath) ? Path.Combine(corpusPath, CorpusFile) : corpusPath;
        if (!File.Exists(file)) throw new DataFormatException(file, 0, "file", "corpus file not found");
        int lineNo = 0;
        foreach (var line in File.ReadLines(file))
        {
            lineNo++;
            if (line.Length == 0) continue;
            CorpusDocument? doc;
            try { doc = JsonSerializer.Deserialize<CorpusDocument>(line); }
            catch (JsonException e) { throw new DataFormatException(file, lineNo, "(json)", $"malformed JSON: {e.Message}"); }
            if (doc?.Text is null) throw new DataFormatException(file, lineNo, "text", "missing");
            yield return doc;
        }
    }

    /// <summary>Builds the documents in their final (shuffled) order and the manifest describing them.</summary>
    public static (IReadOnlyList<CorpusDocument> Documents, CorpusManifest Manifest) Build(PretrainCorpusOptions o,
        IProgress<CorpusProgress>? progress = null, CancellationToken cancel = default)
    {
        var docs = new List<CorpusDocument>();
        var sources = new List<CorpusSource>();
        var budget = new Budget(o.MaxBytes);

        foreach (var task in TaskName.All)
            sources.Add(AddTask(task, o, docs, budget, progress));

        long manBudget = (long)(budget.Left * o.ManPageShare);
        sources.Add(AddManPages(o, docs, budget, manBudget, progress, cancel));
        // Opt-in, so the default corpus (and the bases pretrained on it) stays as it was.
        if (o.PackageSourceRoots.Count > 0)
            sources.Add(PackageSources.Add(o, docs, budget, Math.Min(o.PackageSourceBytes, budget.Left), progress, cancel));
        sources.Add(AddPython(o, docs, budget, budget.Left, progress, cancel));

        Shuffle(docs, new Random(o.Seed));
        var manifest = new CorpusManifest("promptintern corpus build", CorpusManifest.KitVersion, RunProvenance.Capture(),
            new CorpusManifestOptions(o.MaxBytes, o.ManPageShare, o.MaxPackageShare, o.RequireKnownLicense, o.MaxDocumentBytes, o.MinDocumentChars, o.ManSections, o.Seed),
            docs.Count, budget.Used, sources);
        return (docs, manifest);
    }

    static CorpusSource AddTask(string task, PretrainCorpusOptions o, List<CorpusDocument> docs, Budget budget, IProgress<CorpusProgress>? progress)
    {
        var path = Path.Combine(o.DataDir, task, "train.jsonl"); // train split only, by construction
        string license = TaskLicenses[task];
        if (!File.Exists(path)) return new CorpusSource(task, path, "missing", 0, 0, 0, license, null, null);
        var rows = JsonlDataset.Load(path);
        int count = 0;
        long bytes = 0;
        foreach (var row in Shuffled(rows, o.Seed, task))
        {
            var text = RenderTaskDocument(task, row);
            if (!budget.TryTake(text)) continue;
            docs.Add(new CorpusDocument($"{task}/{row.Id}", task, license, text));
            count++;
            bytes += Encoding.UTF8.GetByteCount(text);
        }
        progress?.Report(new CorpusProgress(task, count, budget.Used, o.MaxBytes));
        return new CorpusSource(task, path, "ok", rows.Count, count, bytes, license, "train split only", null);
    }

    /// <summary>A task example as a training document: the query-only prompt the model will see (as
    /// <see cref="TaskFormat.QueryText"/> words it), then the answer.</summary>
    public static string RenderTaskDocument(string task, TaskExample row) =>
        PromptRenderer.ToText(PromptParts.QueryOnly(TaskFormat.QueryText(task, row))) + TaskFormat.AnswerText(task, row) + "\n";

    static CorpusSource AddManPages(PretrainCorpusOptions o, List<CorpusDocument> docs, Budget budget, long sourceBudget,
        IProgress<CorpusProgress>? progress, CancellationToken cancel)
    {
        const string name = "man-pages";
        const string note = "Each page is credited to the Debian package that installed it; 'license' is the main license its " +
                            "copyright file declares (the 'Files: *' stanza) and 'declared_licenses' every license that file lists. " +
                            "A page may be covered by any one of them.";
        if (o.ManPageRoot is null || !Directory.Exists(o.ManPageRoot))
            return new CorpusSource(name, o.ManPageRoot, "missing", 0, 0, 0, "various", note, []);

        var files = o.ManSections
            .Select(s => Path.Combine(o.ManPageRoot, "man" + s))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d))
            .Where(f => !new FileInfo(f).Attributes.HasFlag(FileAttributes.ReparsePoint)) // symlinks are aliases
            .Order(StringComparer.Ordinal)
            .ToList();
        var owners = new DebianPackageLicenses(o.DpkgInfoDir, o.DocRoot, [o.ManPageRoot]);
        var perPackage = new SortedDictionary<string, (int Docs, long Bytes)>(StringComparer.Ordinal);
        var seen = new HashSet<string>();
        long used = 0, packageCap = (long)(sourceBudget * o.MaxPackageShare);
        int count = 0, misfits = 0, skippedUnknown = 0;
        var fullPackages = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Shuffled(files, o.Seed, name))
        {
            cancel.ThrowIfCancellationRequested();
            if (sourceBudget - used < o.MinDocumentChars || misfits > 50) break;
            var package = owners.Owner(file) ?? "unknown";
            var license = package == "unknown" ? "unknown" : owners.License(package).Main;
            if (o.RequireKnownLicense && license == "unknown") { skippedUnknown++; continue; }
            if (fullPackages.Contains(package)) continue;
            var roff = ReadManSource(file);
            if (roff is null || roff.StartsWith(".so ", StringComparison.Ordinal)) continue; // unreadable or an alias
            var text = Cap(RoffText.ToPlainText(roff), o.MaxDocumentBytes);
            if (text.Length < o.MinDocumentChars || !seen.Add(Hash(text))) continue;
            long size = Encoding.UTF8.GetByteCount(text);
            if (perPackage.GetValueOrDefault(package).Bytes + size > packageCap) { fullPackages.Add(package); continue; }
            if (used + size > sourceBudget || !budget.TryTake(text)) { misfits++; continue; }
            misfits = 0;
            used += size;
            count++;
            perPackage[package] = (perPackage.GetValueOrDefault(package).Docs + 1, perPackage.GetValueOrDefault(package).Bytes + size);
            docs.Add(new CorpusDocument("man/" + Path.GetRelativePath(o.ManPageRoot, file), name, license, text));
            if (count % 200 == 0) progress?.Report(new CorpusProgress(name, count, budget.Used, o.MaxBytes));
        }
        progress?.Report(new CorpusProgress(name, count, budget.Used, o.MaxBytes));
        var packages = perPackage.Select(kv =>
        {
            var lic = kv.Key == "unknown" ? new PackageLicense("unknown", [], null) : owners.License(kv.Key);
            return new CorpusPackage(kv.Key, kv.Value.Docs, kv.Value.Bytes, lic.Main, lic.Declared);
        }).ToList();
        var fullNote = note + (skippedUnknown > 0 ? $" {skippedUnknown} pages without a known package license were left out." : "");
        return new CorpusSource(name, o.ManPageRoot, "ok", files.Count, count, used, "various (per package)", fullNote, packages);
    }

    static CorpusSource AddPython(PretrainCorpusOptions o, List<CorpusDocument> docs, Budget budget, long sourceBudget,
        IProgress<CorpusProgress>? progress, CancellationToken cancel)
    {
        const string name = "python-stdlib";
        const string license = "PSF-2.0";
        if (o.PythonLibRoot is null || !Directory.Exists(o.PythonLibRoot))
            return new CorpusSource(name, o.PythonLibRoot, "missing", 0, 0, 0, license, null, null);

        string[] skipDirs = ["test", "tests", "idle_test", "site-packages", "dist-packages", "__pycache__"];
        var root = o.PythonLibRoot;
        var files = Directory.EnumerateFiles(root, "*.py", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(root, f).Split(Path.DirectorySeparatorChar).SkipLast(1).Any(skipDirs.Contains))
            .Order(StringComparer.Ordinal)
            .ToList();
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        var seen = new HashSet<string>();
        long used = 0;
        int count = 0, misfits = 0;
        foreach (var file in Shuffled(files, o.Seed, name))
        {
            cancel.ThrowIfCancellationRequested();
            if (sourceBudget - used < o.MinDocumentChars || misfits > 50) break;
            string text;
            try { text = strict.GetString(File.ReadAllBytes(file)).Replace("\r\n", "\n"); }
            catch (DecoderFallbackException) { continue; }
            text = Cap(text, o.MaxDocumentBytes);
            if (text.Length < o.MinDocumentChars || !seen.Add(Hash(text))) continue;
            long size = Encoding.UTF8.GetByteCount(text);
            if (used + size > sourceBudget || !budget.TryTake(text)) { misfits++; continue; }
            misfits = 0;
            used += size;
            count++;
            docs.Add(new CorpusDocument("python/" + Path.GetRelativePath(root, file), name, license, text));
            if (count % 100 == 0) progress?.Report(new CorpusProgress(name, count, budget.Used, o.MaxBytes));
        }
        progress?.Report(new CorpusProgress(name, count, budget.Used, o.MaxBytes));
        var licenseFile = new[] { Path.Combine(root, "LICENSE.txt"), Path.Combine(o.DocRoot, $"lib{Path.GetFileName(root.TrimEnd('/'))}-stdlib", "copyright") }
            .FirstOrDefault(File.Exists);
        var noteText = "Python Software Foundation License Version 2" + (licenseFile is null ? "" : $"; license text: {licenseFile}");
        return new CorpusSource(name, root, "ok", files.Count, count, used, license, noteText, null);
    }

    static string? ReadManSource(string file)
    {
        try
        {
            using var stream = File.OpenRead(file);
            using Stream input = file.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(stream, CompressionMode.Decompress) : stream;
            using var reader = new StreamReader(input, new UTF8Encoding(false, throwOnInvalidBytes: true));
            return reader.ReadToEnd();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or DecoderFallbackException or UnauthorizedAccessException)
        {
            return null; // not UTF-8, not gzip, or unreadable: skip the page
        }
    }

    // Cuts text to at most maxBytes UTF-8 bytes, at the last line break that fits.
    internal static string Cap(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes) return text;
        int chars = 0, bytes = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > maxBytes) break;
            bytes += rune.Utf8SequenceLength;
            chars += rune.Utf16SequenceLength;
        }
        int cut = text.LastIndexOf('\n', Math.Max(0, chars - 1));
        return cut > 0 ? text[..(cut + 1)] : text[..chars];
    }

    internal static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    // Items in ordinal order, then a shuffle seeded by the corpus seed and the source name.
    internal static List<T> Shuffled<T>(IEnumerable<T> items, int seed, string source)
    {
        var list = items.ToList();
        Shuffle(list, new Random(unchecked(seed * 31 + StableHash(source))));
        return list;
    }

    static void Shuffle<T>(List<T> list, Random rng)
    {
        for (int i = list.Count - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }

    // string.GetHashCode is randomized per process; this one is not.
    static int StableHash(string s)
    {
        unchecked
        {
            int h = 17;
            foreach (char c in s) h = h * 31 + c;
            return h;
        }
    }

    internal sealed class Budget(long max)
    {
        public long Used { get; private set; }
        public long Left => max - Used;

        public bool TryTake(string text)
        {
            long size = Encoding.UTF8.GetByteCount(text);
            if (Used + size > max) return false;
            Used += size;
            return true;
        }
    }
}

/// <summary>Corpus build progress: the source being read, its documents so far, and bytes used of the budget.</summary>
public readonly record struct CorpusProgress(string Source, int Documents, long Bytes, long MaxBytes);
