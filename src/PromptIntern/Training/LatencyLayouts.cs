using System.Text.Json;

namespace PromptIntern.Training;

/// <summary>The three prompt layouts of the paper's speed claim per task — full prompt, LLMLingua-2-compressed template,
/// query only — with token lengths the kit measured (the full preset's metrics.json: prompt tokens per query in the
/// model's tokenizer) and each task's mean answer length (output tokens per query of its full-prompt run).</summary>
public static class LatencyLayouts
{
    public sealed record Layout(string Task, string Name, string Method, int PromptTokens, int AnswerTokens, string Source);

    static readonly (string Name, string Method)[] Methods = [("full", "full-prompt"), ("llmlingua2", "llmlingua2"), ("query-only", "query-only")];
    public static readonly string[] Tasks = ["nl2bash", "mbpp", "nl2formula"];

    /// <summary>Reads the first full-preset nano4k run (seed 1337) of each task and method under <paramref name="resultsDir"/>.</summary>
    public static List<Layout> FromResults(string resultsDir)
    {
        var layouts = new List<Layout>();
        foreach (var task in Tasks)
        {
            int? answer = null;
            foreach (var (name, method) in Methods)
            {
                var dir = Directory.GetDirectories(resultsDir, $"full-{task}-{method}-nano4k-s1337-*").Order(StringComparer.Ordinal).FirstOrDefault()
                    ?? throw new FileNotFoundException($"{resultsDir}: no full-{task}-{method}-nano4k-s1337-* run to take its prompt length from.");
                var file = Path.Combine(dir, "metrics.json");
                using var doc = JsonDocument.Parse(File.ReadAllText(file));
                var r = doc.RootElement.GetProperty("result");
                double Read(string field) => r.TryGetProperty(field, out var v) ? v.GetDouble() : throw new InvalidDataException($"{file}: result.{field} missing.");
                answer ??= (int)Math.Round(Read("output_tokens_per_query"));
                layouts.Add(new Layout(task, name, method, (int)Math.Round(Read("model_prompt_tokens_per_query")), Math.Max(1, answer.Value), Path.GetFileName(dir)));
            }
        }
        return layouts;
    }
}
