namespace PromptIntern.Evaluation.Mbpp;

/// <summary>Why a sandboxed program ended: <c>passed</c>, <c>failed</c> (an exception, e.g. a failing assert),
/// <c>timeout</c> (wall or CPU limit), <c>memory</c>, <c>crash</c> (killed by a signal), <c>output-limit</c>,
/// or <c>sandbox-error</c> (the sandbox itself could not start).</summary>
public static class SandboxReason
{
    public const string Passed = "passed", Failed = "failed", Timeout = "timeout", Memory = "memory", Crash = "crash",
        OutputLimit = "output-limit", SandboxError = "sandbox-error";
}

/// <summary>One program's outcome: reason, exit code, output excerpts and wall time.</summary>
public sealed record SandboxResult(string Id, bool Passed, string Reason, int ExitCode, string Stdout, string Stderr, TimeSpan Duration)
{
    /// <summary>The last non-empty stderr line (usually the exception), for tables.</summary>
    public string Summary => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
}
