namespace PromptIntern.Prompts;

/// <summary>A worked example shown in the prompt: a query and its answer.</summary>
public sealed record FewShotExample(string Query, string Answer);

/// <summary>A prompt as the paper sees it: the recurring instruction template, the few-shot examples, and the query.
/// An empty template and no examples is the query-only layout PromptIntern ends with.</summary>
public sealed record PromptParts(string Template, IReadOnlyList<FewShotExample> Examples, string Query)
{
    public static PromptParts QueryOnly(string query) => new("", [], query);

    public PromptParts WithTemplate(string template) => this with { Template = template };

    public PromptParts WithExamples(IReadOnlyList<FewShotExample> examples) => this with { Examples = examples };
}

/// <summary>One chat message (OpenAI roles: system, user, assistant).</summary>
public sealed record ChatMessage(string Role, string Content)
{
    public const string System = "system", User = "user", Assistant = "assistant";
}
