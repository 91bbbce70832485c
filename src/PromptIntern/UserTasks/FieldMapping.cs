namespace PromptIntern.UserTasks;

/// <summary>Which keys of a user's JSONL rows hold the id, the query and the answer (the task file's <c>fields</c>).
/// A null <see cref="Id"/> numbers the rows instead (&lt;file&gt;:&lt;line&gt;).</summary>
public sealed record FieldMapping(string? Id = "id", string Query = "query", string Answer = "answer")
{
    public static readonly FieldMapping Kit = new();

    /// <summary>True when the rows already use the kit's schema (id, query, answer).</summary>
    public bool IsKit => this == Kit;
}
