namespace PromptIntern.UserTasks;

/// <summary>The metrics a user task can name in its task file.</summary>
public enum UserMetricKind
{
    /// <summary>"exact_match": prediction equals the answer after trimming (EM).</summary>
    ExactMatch,
    /// <summary>"normalized_match": equal after case folding and collapsing whitespace.</summary>
    NormalizedMatch,
    /// <summary>"bleu": corpus BLEU-4 on whitespace tokens, 0–100.</summary>
    Bleu,
    /// <summary>"chrf": corpus chrF (character 6-grams, β = 2), 0–100.</summary>
    Chrf,
    /// <summary>{"command": "..."}: a program that checks each prediction; exit status 0 = pass.</summary>
    Command,
}

/// <summary>A user task's metric: a kind, and for <see cref="UserMetricKind.Command"/> the shell command and its per-check
/// time limit.</summary>
public sealed record UserMetricSpec(UserMetricKind Kind, string? Command = null, double TimeoutSeconds = 10)
{
    public static readonly IReadOnlyList<string> Names = ["exact_match", "normalized_match", "bleu", "chrf"];

    /// <summary>The metric name shown in tables (the paper's where it has one).</summary>
    public string MetricName => Kind switch
    {
        UserMetricKind.ExactMatch => "EM",
        UserMetricKind.NormalizedMatch => "normalized_match",
        UserMetricKind.Bleu => "BLEU",
        UserMetricKind.Chrf => "chrF",
        _ => "pass",
    };

    /// <summary>Parses a name from <see cref="Names"/> (null when unknown).</summary>
    public static UserMetricSpec? FromName(string name) => name.Trim().ToLowerInvariant() switch
    {
        "exact_match" or "em" => new(UserMetricKind.ExactMatch),
        "normalized_match" => new(UserMetricKind.NormalizedMatch),
        "bleu" => new(UserMetricKind.Bleu),
        "chrf" => new(UserMetricKind.Chrf),
        _ => null,
    };
}
