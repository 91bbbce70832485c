using PromptIntern.Prompts;

namespace PromptIntern.Curriculum;

/// <summary>Input tokens of a prompt as a fine-tuned model receives it, in a given file layout.</summary>
public static class PromptTokens
{
    /// <summary>OpenAI: the chat messages without the answer, counted as OpenAI's cookbook does (the system message appears only
    /// when the template is kept). TRL: the rendered prompt text.</summary>
    public static int Count(PromptParts parts, FineTuneFormat format, TokenCounter counter) => format switch
    {
        FineTuneFormat.OpenAi => FineTuneValidator.ChatTokens(PromptRenderer.ToChat(parts).Select(m => (m.Role, m.Content)), counter),
        FineTuneFormat.Trl => counter.Count(PromptRenderer.ToText(parts)),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };
}
