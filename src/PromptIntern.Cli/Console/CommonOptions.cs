using System.CommandLine;
using PromptIntern.Data;

namespace PromptIntern.Cli;

/// <summary>Options several verbs share, spelled the same everywhere.</summary>
public static class CommonOptions
{
    public static Option<string> Task(string defaultTask = TaskName.Nl2Bash) => new("--task")
    {
        Description = $"task: {string.Join(", ", TaskName.All)}",
        DefaultValueFactory = _ => defaultTask,
    };

    /// <summary>--eval-file: the evaluation rows; the default (null) means data/&lt;task&gt;/dev.jsonl.</summary>
    public static Option<string?> EvalFile() => new("--eval-file")
    {
        Description = "evaluation JSONL file [default: data/<task>/dev.jsonl]",
    };

    public static Option<int> Shots(int defaultShots = 3) => new Option<int>("--shots")
    {
        Description = "few-shot examples in the prompt (taken from the train split, first k)",
        DefaultValueFactory = _ => defaultShots,
    }.AtLeast(0);

    public static Option<string> Tokenizer() => new("--tokenizer")
    {
        Description = "cost tokenizer: o200k_base or cl100k_base",
        DefaultValueFactory = _ => "o200k_base",
    };

    public static string EvalPath(string? evalFile, string task) => evalFile ?? KitPaths.Split(task, "dev");
}
