namespace PromptIntern.Evaluation.Mbpp;

/// <summary>Why a sandboxed program ended: <c>passed</c> (it ran its last line and printed the run's completion token),
/// <c>failed</c> (an exception, e.g. a failing assert), <c>incomplete</c> (it exited with status 0 before its last line,
/// e.g. through <c>os._exit(0)</c> or <c>sys.exit(0)</c>), <c>timeout</c> (wall or CPU limit), <c>memory</c>, <c>crash</c>
/// (killed by a signal), <c>output-limit</c>, or <c>sandbox-error</c> (the sandbox itself could not start).</summary>
public static class SandboxReason
{
    public const string Passed = "passed", Failed = "failed", Incomplete = "incomplete", Timeout = "timeout", Memory = "memory", Crash = "crash",
        OutputLimit = "output-limit", SandboxError = "sandbox-error";
}

/// <summary>One program's outcome: reason, exit code, output excerpts and wall time.</summary>
public sealed record SandboxResult(string Id, bool Passed, string Reason, int ExitCode, string Stdout, string Stderr, TimeSpan Duration)
{
    /// <summary>The last non-empty stderr line (usually the exception), for tables.</summary>
    public string Summary => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
}
