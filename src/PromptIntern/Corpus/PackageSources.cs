using System.Text;

namespace PromptIntern.Corpus;

/// <summary>A corpus source of the Python modules and shell scripts Debian packages install outside the standard library
/// (dist-packages, helper scripts under /usr/share, scripts in /usr/bin): each file is credited to the package that
/// installed it, with the licences that package's copyright file declares, as the man pages are.</summary>
static class PackageSources
{
    public const string Name = "debian-package-sources";

    static readonly string[] SkipDirs = ["test", "tests", "__pycache__"];

    /// <summary>Source files: *.py and *.sh, and files without an extension whose first line is a sh, bash or python shebang.</summary>
    public static bool IsSource(string path)
    {
        var ext = Path.GetExtension(path);
        if (ext is ".py" or ".sh") return true;
        if (ext.Length > 0) return false;
        try
        {
            using var reader = new StreamReader(path);
            var first = reader.ReadLine() ?? "";
            return first.StartsWith("#!", StringComparison.Ordinal) && (first.Contains("sh", StringComparison.Ordinal) || first.Contains("python", StringComparison.Ordinal));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    public static CorpusSource Add(PretrainCorpusOptions o, List<CorpusDocument> docs, PretrainCorpus.Budget budget, long sourceBudget,
        IProgress<CorpusProgress>? progress, CancellationToken cancel)
    {
        const string note = "Each file is credited to the Debian package that installed it; 'license' is the main license its copyright " +
                            "file declares and 'declared_licenses' every license that file lists. Files of unknown package or license are left out.";
        var roots = o.PackageSourceRoots.Where(Directory.Exists).ToList();
        var files = roots.SelectMany(r => Directory.EnumerateFiles(r, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
                .Where(f => !Path.GetRelativePath(r, f).Split(Path.DirectorySeparatorChar).SkipLast(1).Any(SkipDirs.Contains))
                .Where(f => !new FileInfo(f).Attributes.HasFlag(FileAttributes.ReparsePoint) && new FileInfo(f).Length <= o.MaxDocumentBytes * 4L))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var owners = new DebianPackageLicenses(o.DpkgInfoDir, o.DocRoot, roots);
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        var perPackage = new SortedDictionary<string, (int Docs, long Bytes)>(StringComparer.Ordinal);
        var seen = new HashSet<string>();
        long used = 0, packageCap = (long)(sourceBudget * o.MaxPackageShare);
        int count = 0, misfits = 0, found = 0;
        foreach (var file in PretrainCorpus.Shuffled(files, o.Seed, Name))
        {
            cancel.ThrowIfCancellationRequested();
            if (sourceBudget - used < o.MinDocumentChars || misfits > 50) break;
            if (owners.Owner(file) is not { } package || owners.License(package).Main == "unknown" || !IsSource(file)) continue;
            found++;
            string text;
            try { text = strict.GetString(File.ReadAllBytes(file)).Replace("\r\n", "\n"); }
            catch (Exception e) when (e is DecoderFallbackException or IOException or UnauthorizedAccessException) { continue; }
            text = PretrainCorpus.Cap(text, o.MaxDocumentBytes);
            if (text.Length < o.MinDocumentChars || !seen.Add(PretrainCorpus.Hash(text))) continue;
            long size = Encoding.UTF8.GetByteCount(text);
            if (perPackage.GetValueOrDefault(package).Bytes + size > packageCap) continue;
            if (used + size > sourceBudget || !budget.TryTake(text)) { misfits++; continue; }
            misfits = 0;
            used += size;
            count++;
            perPackage[package] = (perPackage.GetValueOrDefault(package).Docs + 1, perPackage.GetValueOrDefault(package).Bytes + size);
            docs.Add(new CorpusDocument("pkg" + file, Name, owners.License(package).Main, text));
            if (count % 200 == 0) progress?.Report(new CorpusProgress(Name, count, budget.Used, o.MaxBytes));
        }
        progress?.Report(new CorpusProgress(Name, count, budget.Used, o.MaxBytes));
        var packages = perPackage.Select(kv => (kv, lic: owners.License(kv.Key)))
            .Select(x => new CorpusPackage(x.kv.Key, x.kv.Value.Docs, x.kv.Value.Bytes, x.lic.Main, x.lic.Declared)).ToList();
        return new CorpusSource(Name, string.Join(", ", roots), "ok", found, count, used, "various (per package)", note, packages);
    }
}
