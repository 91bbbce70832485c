using System.Text.Json.Serialization;
using Microsoft.ML.Tokenizers;
using PromptIntern.Data;

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
    static readonly Lazy<Tokenizer> O200k = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));

    /// <summary>Measures <paramref name="tokenizer"/> on the rows of <paramref name="splitPath"/>, rendered as the corpus
    /// renders task documents; <paramref name="templatePath"/>, when it exists, is the task's instruction template.</summary>
    public static TokenizerCompression Measure(ModelTokenizer tokenizer, string task, string split, string splitPath, string? templatePath)
    {
        var rows = JsonlDataset.Load(splitPath);
        long chars = 0, tokens = 0, refTokens = 0, queryTokens = 0, answerTokens = 0;
        foreach (var row in rows)
        {
            var doc = PretrainCorpus.RenderTaskDocument(row);
            chars += doc.Length;
            tokens += tokenizer.Encode(doc).Length;
            refTokens += O200k.Value.CountTokens(doc);
            queryTokens += tokenizer.Encode(row.Query).Length;
            answerTokens += tokenizer.Encode(row.Answer).Length;
        }
        string? template = templatePath is not null && File.Exists(templatePath) ? File.ReadAllText(templatePath) : null;
        return new TokenizerCompression(task, split, rows.Count,
            Math.Round((double)chars / tokens, 3),
            Math.Round((double)queryTokens / rows.Count, 2),
            Math.Round((double)answerTokens / rows.Count, 2),
            Math.Round((double)tokens / rows.Count, 2),
            template is null ? null : tokenizer.Encode(template).Length,
            Math.Round((double)chars / refTokens, 3),
            template is null ? null : O200k.Value.CountTokens(template));
    }
}
