using PromptIntern.Data;

namespace PromptIntern.Curriculum;

/// <summary>How a task's rows become prompt text: the query as the model sees it (for MBPP the problem plus its test asserts)
/// and the answer it must produce. Supplied by the caller (Prompts.TaskFormat) so the curriculum stays task-agnostic.</summary>
public sealed record TaskTextFormat(Func<TaskExample, string> QueryText, Func<TaskExample, string> AnswerText)
{
    /// <summary>The rows' own query and answer fields, unchanged.</summary>
    public static readonly TaskTextFormat Raw = new(e => e.Query, e => e.Answer);
}
