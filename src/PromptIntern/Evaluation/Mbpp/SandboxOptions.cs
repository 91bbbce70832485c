namespace PromptIntern.Evaluation.Mbpp;

/// <summary>Limits for running untrusted Python. Defaults follow the official PromptIntern evaluator: 10 s, 256 MB,
/// no network, 64 KiB of output.</summary>
public sealed record SandboxOptions
{
    /// <summary>Wall-clock limit per program; the CPU-time limit is the same number of seconds.</summary>
    public double TimeoutSeconds { get; init; } = 10;
    /// <summary>Address-space limit (RLIMIT_AS) of the Python process.</summary>
    public long MemoryBytes { get; init; } = 256L * 1024 * 1024;
    /// <summary>Processes the program may have at once (RLIMIT_NPROC), against fork bombs.</summary>
    public int MaxProcesses { get; init; } = 16;
    /// <summary>Largest file the program may write in its temp dir (RLIMIT_FSIZE).</summary>
    public long MaxFileBytes { get; init; } = 16L * 1024 * 1024;
    /// <summary>Stdout plus stderr beyond this ends the run (reason <c>output-limit</c>).</summary>
    public int OutputCapBytes { get; init; } = 64 * 1024;
    /// <summary>Programs run at once; default one per core.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;
    /// <summary>Python interpreter; null picks /usr/bin/python3, /usr/local/bin/python3, then python3 on PATH.</summary>
    public string? PythonPath { get; init; }
    /// <summary>Run without namespaces when none can be made (rlimits, scrubbed env and temp dir still apply). Dangerous.</summary>
    public bool UnsafeNoIsolation { get; init; }
    /// <summary>Force one isolation kind instead of the first that works (None still needs <see cref="UnsafeNoIsolation"/>).</summary>
    public SandboxIsolation? Isolation { get; init; }
    /// <summary>First uid for the unprivileged user each parallel slot runs as, when the kit runs as root.</summary>
    public int SandboxUidBase { get; init; } = 61000;
}
