namespace PromptIntern.Evaluation.Mbpp;

/// <summary>Limits for running untrusted Python. Defaults follow the official PromptIntern evaluator: 10 s, 256 MB,
/// no network, 64 KiB of output.</summary>
public sealed record SandboxOptions
{
    /// <summary>The longest <see cref="TimeoutSeconds"/> accepted (a day).</summary>
    public const double MaxTimeoutSeconds = 86400;

    /// <summary>Wall-clock limit per program; the CPU-time limit is the same number of seconds.</summary>
    public double TimeoutSeconds { get; init; } = 10;
    /// <summary>Address-space limit (RLIMIT_AS) of the Python process.</summary>
    public long MemoryBytes { get; init; } = 256L * 1024 * 1024;
    /// <summary>Processes the program may have at once (RLIMIT_NPROC), against fork bombs.</summary>
    public int MaxProcesses { get; init; } = 16;
    /// <summary>Largest file the program may write in its temp dir (RLIMIT_FSIZE).</summary>
    public long MaxFileBytes { get; init; } = 16L * 1024 * 1024;
    /// <summary>Total bytes the program may keep in its private /tmp (the size of its tmpfs).</summary>
    public long DiskBytes { get; init; } = 64L * 1024 * 1024;
    /// <summary>Files and folders the program may create in its private /tmp.</summary>
    public int DiskFiles { get; init; } = 1024;
    /// <summary>Stdout plus stderr beyond this ends the run (reason <c>output-limit</c>).</summary>
    public int OutputCapBytes { get; init; } = 64 * 1024;
    /// <summary>Programs run at once; default one per core.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;
    /// <summary>Python interpreter; null picks /usr/bin/python3, /usr/local/bin/python3, then python3 on PATH.</summary>
    public string? PythonPath { get; init; }
    /// <summary>Run without namespaces when none can be made (rlimits, scrubbed env, temp dir and the completion token still
    /// apply; the file system, network and disk are not protected). Dangerous.</summary>
    public bool UnsafeNoIsolation { get; init; }
    /// <summary>Force one isolation kind instead of the first that works (None still needs <see cref="UnsafeNoIsolation"/>).</summary>
    public SandboxIsolation? Isolation { get; init; }
    /// <summary>First uid for the unprivileged user each parallel slot runs as, when the kit runs as root.</summary>
    public int SandboxUidBase { get; init; } = 61000;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first limit that is not a positive number
    /// (zero or negative never means "no limit").</summary>
    public void Validate()
    {
        if (!(TimeoutSeconds > 0) || TimeoutSeconds > MaxTimeoutSeconds)
            throw new ArgumentOutOfRangeException(nameof(TimeoutSeconds), TimeoutSeconds, $"must be above 0 and at most {MaxTimeoutSeconds} seconds");
        foreach (var (name, value) in new[] { (nameof(MemoryBytes), MemoryBytes), (nameof(MaxProcesses), (long)MaxProcesses),
            (nameof(MaxFileBytes), MaxFileBytes), (nameof(DiskBytes), DiskBytes), (nameof(DiskFiles), (long)DiskFiles),
            (nameof(OutputCapBytes), (long)OutputCapBytes), (nameof(Parallelism), (long)Parallelism) })
            if (value <= 0) throw new ArgumentOutOfRangeException(name, value, "must be positive");
    }
}
