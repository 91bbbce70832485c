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
}
