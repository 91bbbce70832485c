namespace PromptIntern.Data;

/// <summary>The paper's three NL2Code tasks, by the names used on the command line and in data/.</summary>
public static class TaskName
{
    public const string Nl2Bash = "nl2bash";
    public const string Mbpp = "mbpp";
    public const string Nl2Formula = "nl2formula";
    public static readonly IReadOnlyList<string> All = [Nl2Bash, Mbpp, Nl2Formula];

    /// <summary>Returns the canonical task name or throws naming the known ones.</summary>
    public static string Parse(string name)
    {
        var n = name.Trim().ToLowerInvariant();
        return All.Contains(n) ? n : throw new ArgumentException($"unknown task '{name}'; known tasks: {string.Join(", ", All)}");
    }
}
