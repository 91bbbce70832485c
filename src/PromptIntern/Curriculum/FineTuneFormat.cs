using PromptIntern.Prompts;
using PromptIntern.Text;

namespace PromptIntern.Curriculum;

/// <summary>The fine-tuning file layouts the curriculum exports.</summary>
public enum FineTuneFormat
{
    /// <summary>OpenAI chat fine-tuning JSONL, as the official PromptIntern data: {"messages":[system?, user, assistant]}; system = template.</summary>
    OpenAi,
    /// <summary>TRL SFTTrainer prompt/completion JSONL: {"prompt": rendered prompt text, "completion": answer} (loss on the completion only).</summary>
    Trl,
}

public static class FineTuneFormats
{
    public static FineTuneFormat Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "openai" or "chat" or "messages" => FineTuneFormat.OpenAi,
        "trl" or "prompt-completion" => FineTuneFormat.Trl,
        _ => throw new ArgumentException($"unknown fine-tuning format '{name}'; known: openai, trl"),
    };

    public static string ToName(FineTuneFormat f) => f == FineTuneFormat.OpenAi ? "openai" : "trl";

    /// <summary>Input tokens of a prompt as a model fine-tuned in this layout receives it. OpenAI: the chat messages without
    /// the answer, counted as OpenAI's cookbook does (the system message appears only when the template is kept). TRL: the
    /// rendered prompt text.</summary>
    public static int InputTokens(FineTuneFormat format, PromptParts parts, ITokenCounter counter) => format switch
    {
        FineTuneFormat.OpenAi => FineTuneValidator.ChatTokens(PromptRenderer.ToChat(parts).Select(m => (m.Role, m.Content)), counter),
        FineTuneFormat.Trl => counter.CountTokens(PromptRenderer.ToText(parts)),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };
}
