namespace PromptIntern.Corpus;

/// <summary>What goes into the pretraining corpus and how much. A missing source is skipped (and noted in the
/// manifest), so the same options work on a machine without man pages or Python sources.</summary>
public sealed record PretrainCorpusOptions
{
    /// <summary>Folder holding &lt;task&gt;/train.jsonl; only train splits are ever read.</summary>
    public required string DataDir { get; init; }

    /// <summary>Root of the man pages (e.g. /usr/share/man), or null to leave them out.</summary>
    public string? ManPageRoot { get; init; }

    /// <summary>Man sections to read; the English pages under man&lt;section&gt;/ only.</summary>
    public IReadOnlyList<string> ManSections { get; init; } = ["1", "5", "7", "8"];

    /// <summary>A Python standard library folder (e.g. /usr/lib/python3.11), or null to leave it out.</summary>
    public string? PythonLibRoot { get; init; }

    /// <summary>Folders whose Python modules and shell scripts Debian packages installed (e.g. /usr/lib/python3/dist-packages,
    /// /usr/share, /usr/bin), credited per package like the man pages; empty (the default) leaves them out.</summary>
    public IReadOnlyList<string> PackageSourceRoots { get; init; } = [];

    /// <summary>UTF-8 bytes the package sources may take, before the Python standard library fills the rest.</summary>
    public long PackageSourceBytes { get; init; } = 6_000_000;

    /// <summary>dpkg's file lists and the docs folder with each package's copyright file, for the license record.</summary>
    public string DpkgInfoDir { get; init; } = "/var/lib/dpkg/info";
    public string DocRoot { get; init; } = "/usr/share/doc";

    /// <summary>Total UTF-8 bytes of document text. Task documents come first, then man pages up to
    /// <see cref="ManPageShare"/> of what is left, then Python sources fill the rest.</summary>
    public long MaxBytes { get; init; } = 24_000_000;

    public double ManPageShare { get; init; } = 0.5;

    /// <summary>No package may fill more than this share of the man-page budget (one vendor's thousands of
    /// generated pages would otherwise crowd out the rest).</summary>
    public double MaxPackageShare { get; init; } = 0.1;

    /// <summary>Leave out man pages whose package or license cannot be determined.</summary>
    public bool RequireKnownLicense { get; init; } = true;

    /// <summary>Longer documents are cut at a line break before this many bytes, so no single page dominates.</summary>
    public int MaxDocumentBytes { get; init; } = 200_000;

    /// <summary>Documents shorter than this (after conversion) are dropped as noise.</summary>
    public int MinDocumentChars { get; init; } = 200;

    /// <summary>Seed for choosing which files fit the budget and for the document order.</summary>
    public int Seed { get; init; } = 20240702;

    /// <summary>Options with the sources this machine has: /usr/share/man, and the newest Python standard library under
    /// /usr/lib (Debian's), else under pyenv. Either may be null.</summary>
    public static PretrainCorpusOptions ForThisMachine(string dataDir) => new()
    {
        DataDir = dataDir,
        ManPageRoot = Directory.Exists("/usr/share/man") ? "/usr/share/man" : null,
        PythonLibRoot = FindPythonStdlib(),
    };

    static string? FindPythonStdlib()
    {
        var pyenv = Environment.GetEnvironmentVariable("PYENV_ROOT")
                    ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pyenv");
        var roots = new[] { "/usr/lib" }
            .Concat(Directory.Exists(Path.Combine(pyenv, "versions"))
                ? Directory.GetDirectories(Path.Combine(pyenv, "versions")).Order(StringComparer.Ordinal).Select(v => Path.Combine(v, "lib"))
                : []);
        foreach (var root in roots.Where(Directory.Exists))
        {
            var best = Directory.GetDirectories(root, "python3.*")
                .Where(d => File.Exists(Path.Combine(d, "os.py")) && int.TryParse(Path.GetFileName(d)["python3.".Length..], out _))
                .OrderByDescending(d => int.Parse(Path.GetFileName(d)["python3.".Length..]))
                .FirstOrDefault();
            if (best is not null) return best;
        }
        return null;
    }
}
