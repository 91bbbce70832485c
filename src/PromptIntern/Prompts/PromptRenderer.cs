using System.Text;

namespace PromptIntern.Prompts;

/// <summary>Renders prompt parts to the text a causal LM continues, and to chat messages
/// (system = template, user = examples + query, assistant = answer) as the official PromptIntern data does.</summary>
public static class PromptRenderer
{
    public const string QueryMarker = "### Query:";
    public const string AnswerMarker = "### Answer:";

    /// <summary>The user turn: examples then the query, each as Query/Answer blocks.</summary>
    public static string UserText(PromptParts p)
    {
        var sb = new StringBuilder();
        foreach (var ex in p.Examples)
            sb.Append(QueryMarker).Append('\n').Append(ex.Query.Trim()).Append('\n')
              .Append(AnswerMarker).Append('\n').Append(ex.Answer.Trim()).Append("\n\n");
        sb.Append(QueryMarker).Append('\n').Append(p.Query.Trim());
        return sb.ToString();
    }

    /// <summary>Plain-text prompt for a causal LM: template, examples, query, then the answer marker the model continues.</summary>
    public static string ToText(PromptParts p)
    {
        var sb = new StringBuilder();
        if (!string.IsNullOrWhiteSpace(p.Template)) sb.Append(p.Template.Trim()).Append("\n\n");
        sb.Append(UserText(p)).Append('\n').Append(AnswerMarker).Append('\n');
        return sb.ToString();
    }

    /// <summary>Chat messages; the system message is omitted when the template is empty (query-only layout).</summary>
    public static IReadOnlyList<ChatMessage> ToChat(PromptParts p, string? answer = null)
    {
        var msgs = new List<ChatMessage>();
        if (!string.IsNullOrWhiteSpace(p.Template)) msgs.Add(new(ChatMessage.System, p.Template.Trim()));
        msgs.Add(new(ChatMessage.User, UserText(p)));
        if (answer != null) msgs.Add(new(ChatMessage.Assistant, answer));
        return msgs;
    }
}
