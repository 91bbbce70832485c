namespace PromptIntern.Corpus;

/// <summary>Which Debian package installed a file (from dpkg's *.list files) and which licenses that package's
/// copyright file declares, so the corpus manifest can say where each man page came from and under what terms.</summary>
public sealed class DebianPackageLicenses
{
    readonly Dictionary<string, string> _owner = new(StringComparer.Ordinal);
    readonly Dictionary<string, PackageLicense> _licenses = new(StringComparer.Ordinal);
    readonly string _docRoot;

    /// <summary>Reads ownership of files under any of <paramref name="prefixes"/>; a missing dpkg folder means no ownership data.</summary>
    public DebianPackageLicenses(string dpkgInfoDir, string docRoot, IEnumerable<string> prefixes)
    {
        _docRoot = docRoot;
        var wanted = prefixes.Select(p => p.TrimEnd('/') + "/").ToArray();
        if (!Directory.Exists(dpkgInfoDir)) return;
        foreach (var list in Directory.EnumerateFiles(dpkgInfoDir, "*.list").Order(StringComparer.Ordinal))
        {
            var package = Path.GetFileNameWithoutExtension(list).Split(':')[0];
            foreach (var line in File.ReadLines(list))
                if (wanted.Any(w => line.StartsWith(w, StringComparison.Ordinal)))
                    _owner.TryAdd(line, package);
        }
    }

    public bool HasOwnershipData => _owner.Count > 0;

    /// <summary>The package that installed <paramref name="path"/>, or null when dpkg does not know it.</summary>
    public string? Owner(string path) => _owner.GetValueOrDefault(path);

    /// <summary>The licenses declared in /usr/share/doc/&lt;package&gt;/copyright.</summary>
    public PackageLicense License(string package)
    {
        if (_licenses.TryGetValue(package, out var known)) return known;
        var file = Path.Combine(_docRoot, package, "copyright");
        var license = File.Exists(file) ? Parse(file) : new PackageLicense("unknown", [], null);
        return _licenses[package] = license;
    }

    /// <summary>Machine-readable (DEP-5) files: the "Files: *" stanza's license is the main one, and all distinct
    /// License fields are listed. Free-form files: the license families their text names.</summary>
    static PackageLicense Parse(string file)
    {
        var lines = File.ReadAllLines(file);
        var all = new List<string>();
        string? main = null;
        bool inWildcardStanza = false;
        foreach (var line in lines)
        {
            if (line.Length == 0) { inWildcardStanza = false; continue; }
            if (line.StartsWith("Files:", StringComparison.Ordinal)) inWildcardStanza = line[6..].Trim() == "*";
            if (line.StartsWith("License:", StringComparison.Ordinal))
            {
                var name = line[8..].Trim();
                if (name.Length == 0) continue;
                if (!all.Contains(name)) all.Add(name);
                if (inWildcardStanza) main ??= name;
            }
        }
        if (all.Count > 0) return new PackageLicense(main ?? all[0], all, file);

        var text = System.Text.RegularExpressions.Regex.Replace(string.Join(' ', lines), @"\s+", " ");
        var families = new List<string>();
        void If(bool found, string family) { if (found && !families.Contains(family)) families.Add(family); }
        If(text.Contains("Lesser General Public License", StringComparison.OrdinalIgnoreCase) || text.Contains("Library General Public License", StringComparison.OrdinalIgnoreCase), "LGPL");
        If(text.Contains("GNU General Public License", StringComparison.OrdinalIgnoreCase) || text.Contains("/licenses/GPL", StringComparison.Ordinal), "GPL");
        If(text.Contains("Permission is hereby granted, free of charge", StringComparison.Ordinal), "MIT");
        If(text.Contains("Redistribution and use in source and binary forms", StringComparison.Ordinal), "BSD");
        If(text.Contains("Artistic License", StringComparison.OrdinalIgnoreCase), "Artistic");
        If(text.Contains("Apache License", StringComparison.Ordinal), "Apache-2.0");
        If(text.Contains("Permission to use, copy, modify, and distribute", StringComparison.Ordinal), "ISC-style");
        If(text.Contains("public domain", StringComparison.OrdinalIgnoreCase), "public-domain");
        return families.Count > 0 ? new PackageLicense(families[0], families, file) : new PackageLicense("unknown", [], file);
    }
}

/// <summary>A package's licenses: the main one, every one its copyright file declares, and that file's path.</summary>
public sealed record PackageLicense(string Main, IReadOnlyList<string> Declared, string? CopyrightFile);
