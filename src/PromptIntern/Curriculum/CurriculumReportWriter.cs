using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using PromptIntern.Data;

namespace PromptIntern.Curriculum;

/// <summary>Writes a <see cref="CurriculumReport"/> as summary.json and summary.md (atomically).</summary>
public static class CurriculumReportWriter
{
    static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static string ToJson(CurriculumReport report) => JsonSerializer.Serialize(report, Options);

    public static string ToMarkdown(CurriculumReport r)
    {
        var ic = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine($"# Curriculum: {r.Task}, plan `{r.Plan}`").AppendLine();
        sb.AppendLine(r.PlanDescription).AppendLine();
        sb.AppendLine($"Format {r.Format}; tokens counted with {r.Tokenizer}; template compressor {r.Compressor}; retriever {r.Retriever}; " +
                      $"{r.PlanEpochs.ToString("0.##", ic)} epochs in total.").AppendLine();
        sb.AppendLine("| stage | file | template rate | shots | epochs | examples | input tokens/query | training tokens | trained tokens (× epochs) | est. training cost (USD) |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var s in r.Stages)
            sb.AppendLine(string.Create(ic, $"| {s.Stage} | {s.File} | {(s.KeepRate is { } t ? t.ToString("0.###", ic) : "dropped")} | {s.Shots} | {s.Epochs:0.##} | {s.Examples:N0} | {s.InputTokensPerQuery:N1} | {s.TrainingTokens:N0} | {s.TrainedTokens:N0} | {Cost(s.EstimatedCostUsd)} |"));
        sb.AppendLine(string.Create(ic, $"| total | | | | {r.PlanEpochs:0.##} | | | {r.TotalTrainingTokens:N0} | {r.TotalTrainedTokens:N0} | {Cost(r.TotalEstimatedCostUsd)} |"));
        sb.AppendLine();
        var inf = r.Inference;
        sb.AppendLine(string.Create(ic, $"Inference ({inf.Layout}), mean over {inf.Queries:N0} queries: {inf.InputTokensPerQuery:N1} input tokens/query vs " +
                      $"{inf.FullPromptTokensPerQuery:N1} for the full prompt (full template + {inf.FullPromptShots} examples): {inf.Reduction:P1} fewer."));
        sb.AppendLine(r.TrainingPricePerMillionUsd is { } p
            ? string.Create(ic, $"Training price: {p} USD per 1M tokens.")
            : "No training price given: cost not estimated.");
        if (r.Run is { } run)
            sb.AppendLine().AppendLine($"Run: {run.Summary}");
        return sb.ToString();
    }

    /// <summary>Writes summary.json and summary.md into <paramref name="dir"/>; returns their paths.</summary>
    public static (string Json, string Markdown) Write(CurriculumReport report, string dir)
    {
        var json = Path.Combine(dir, "summary.json");
        var md = Path.Combine(dir, "summary.md");
        AtomicFile.WriteAllText(json, ToJson(report) + "\n");
        AtomicFile.WriteAllText(md, ToMarkdown(report));
        return (json, md);
    }

    static string Cost(double? usd) => usd is { } c ? c.ToString("0.00##", CultureInfo.InvariantCulture) : "n/a";
}
