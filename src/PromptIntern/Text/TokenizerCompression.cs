using System.Text.Json.Serialization;
using PromptIntern.Corpus;
using PromptIntern.Data;
using PromptIntern.Prompts;

namespace PromptIntern.Text;

/// <summary>How well a model tokenizer compresses one task split: characters per token over the rendered
/// documents, and mean tokens per query, answer and document, next to o200k_base (GPT-4o) on the same text.</summary>
public sealed record TokenizerCompression(
    [property: JsonPropertyName("task")] string Task,
    [property: JsonPropertyName("split")] string Split,
    [property: JsonPropertyName("examples")] int Examples,
    [property: JsonPropertyName("chars_per_token")] double CharsPerToken,
    [property: JsonPropertyName("mean_query_tokens")] double MeanQueryTokens,
    [property: JsonPropertyName("mean_answer_tokens")] double MeanAnswerTokens,
    [property: JsonPropertyName("mean_document_tokens")] double MeanDocumentTokens,
    [property: JsonPropertyName("template_tokens")] int? TemplateTokens,
    [property: JsonPropertyName("o200k_chars_per_token")] double O200kCharsPerToken,
    [property: JsonPropertyName("o200k_template_tokens")] int? O200kTemplateTokens)
{
    /// <summary>Measures <paramref name="tokenizer"/> on the rows of <paramref name="splitPath"/>, rendered as the corpus
    /// renders task documents (queries as <see cref="TaskFormat.QueryText"/> words them); <paramref name="templatePath"/>,
    /// when it exists, is the task's instruction template (data/templates/&lt;task&gt;.md).</summary>
    public static TokenizerCompression Measure(ModelTokenizer tokenizer, string task, string split, string splitPath, string? templatePath)
    {
        var rows = JsonlDataset.Load(splitPath);
        long chars = 0, tokens = 0, refTokens = 0, queryTokens = 0, answerTokens = 0;
        foreach (var row in rows)
        {
            var doc = PretrainCorpus.RenderTaskDocument(task, row);
            chars += doc.Length;
            tokens += tokenizer.Encode(doc).Length;
            refTokens += CostTokenizer.O200k.CountTokens(doc);
            queryTokens += tokenizer.Encode(TaskFormat.QueryText(task, row)).Length;
            answerTokens += tokenizer.Encode(TaskFormat.AnswerText(task, row)).Length;
        }
        string? template = templatePath is not null && File.Exists(templatePath) ? File.ReadAllText(templatePath).Trim() : null;
        return new TokenizerCompression(task, split, rows.Count,
            Math.Round((double)chars / tokens, 3),
            Math.Round((double)queryTokens / rows.Count, 2),
            Math.Round((double)answerTokens / rows.Count, 2),
            Math.Round((double)tokens / rows.Count, 2),
            template is null ? null : tokenizer.Encode(template).Length,
            Math.Round((double)chars / refTokens, 3),
            template is null ? null : CostTokenizer.O200k.CountTokens(template));
    }
}
