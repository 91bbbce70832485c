using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace PromptIntern.Compression;

/// <summary>One cell of a method × rate sweep over a task template.</summary>
public sealed record CompressionSweepRow(string Task, string Method, double KeepRate, int OriginTokens, int CompressedTokens,
    double AchievedRate, double Ratio, double Milliseconds, string Scorer, string Tokenizer);

/// <summary>Compresses each template with every method at every rate and tabulates tokens and time.</summary>
public static class CompressionSweep
{
    public static readonly IReadOnlyList<double> DefaultRates = [0.8, 0.5, 0.3, 0.1];

    /// <param name="templates">Task name to (template, a sample query that question-aware methods condition on).</param>
    /// <param name="forceKeep">Force-keep patterns per task.</param>
    /// <param name="progress">Called after each cell (for a progress bar).</param>
    public static List<CompressionSweepRow> Run(IReadOnlyDictionary<string, (string Template, string Query)> templates,
        IReadOnlyList<IPromptCompressor> compressors, IReadOnlyList<double> rates, string scorerName,
        Func<string, List<string>>? forceKeep = null, Action? progress = null)
    {
        var rows = new List<CompressionSweepRow>();
        foreach (var (task, (template, query)) in templates)
            foreach (var c in compressors)
            {
                _ = c.Compress(Request(template, query, 0.5, forceKeep?.Invoke(task))); // warm-up: first-call costs (loading, JIT) are not compression time
                foreach (var rate in rates)
                {
                    var clock = Stopwatch.StartNew();
                    var r = c.Compress(Request(template, query, rate, forceKeep?.Invoke(task)));
                    var ms = clock.Elapsed.TotalMilliseconds;
                    rows.Add(new CompressionSweepRow(task, c.Name, rate, r.OriginTokens, r.CompressedTokens, r.AchievedRate, r.Ratio, ms,
                        c.Name is Compressors.Random or Compressors.Truncate ? "-" : c.Name == Compressors.LlmLingua2 ? "bilstm-classifier" : scorerName,
                        r.Tokenizer));
                    progress?.Invoke();
                }
            }
        return rows;
    }

    static CompressionRequest Request(string template, string query, double rate, IReadOnlyList<string>? forceKeep) => new()
    {
        Instruction = template, Question = query, QuestionInPrompt = false, KeepRate = rate, ForceKeep = forceKeep ?? [],
    };

    public static string ToCsv(IEnumerable<CompressionSweepRow> rows)
    {
        var sb = new StringBuilder("task,method,requested_rate,origin_tokens,compressed_tokens,rate,ratio,compress_ms,scorer,tokenizer\n");
        foreach (var r in rows)
            sb.Append(string.Join(',', r.Task, r.Method, F(r.KeepRate), r.OriginTokens, r.CompressedTokens, F(r.AchievedRate), F(r.Ratio),
                F(r.Milliseconds), Csv(r.Scorer), r.Tokenizer)).Append('\n');
        return sb.ToString();
    }

    /// <summary>Markdown table: one row per task × method, compressed tokens (and ms) per rate.</summary>
    public static string ToMarkdown(IReadOnlyList<CompressionSweepRow> rows, IEnumerable<string> headerLines)
    {
        var rates = rows.Select(r => r.KeepRate).Distinct().OrderDescending().ToList();
        var sb = new StringBuilder();
        foreach (var l in headerLines) sb.Append(l).Append('\n');
        sb.Append('\n').Append("| task | method | origin tokens | ")
          .Append(string.Join(" | ", rates.Select(r => $"rate {F(r)}: tokens (ms)"))).Append(" |\n|")
          .Append(string.Concat(Enumerable.Repeat("---|", 3 + rates.Count))).Append('\n');
        foreach (var g in rows.GroupBy(r => (r.Task, r.Method)))
        {
            sb.Append($"| {g.Key.Task} | {g.Key.Method} | {g.First().OriginTokens} | ");
            sb.Append(string.Join(" | ", rates.Select(rate => g.FirstOrDefault(r => r.KeepRate == rate) is { } c
                ? $"{c.CompressedTokens} ({c.Milliseconds:0})" : "")));
            sb.Append(" |\n");
        }
        return sb.ToString();
    }

    static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
    static string Csv(string s) => s.Contains(',') || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
