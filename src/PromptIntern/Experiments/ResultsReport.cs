using System.Globalization;
using System.Text;
using Deedle;
using PromptIntern.Experiments.Figures;

namespace PromptIntern.Experiments;

/// <summary>Assembles every finished experiment under results/ into one table per preset (Deedle → CSV + Markdown) and the
/// README's results section: ours beside the paper's numbers, and PromptIntern's token, latency and cost savings.</summary>
public static class ResultsReport
{
    /// <summary>Writes results/report/&lt;preset&gt;.{csv,md} and returns the README section text.</summary>
    public static string Write(string resultsRoot, string reportDir, string provenanceLine)
    {
        var results = ResultsTable.LoadAll(resultsRoot);
        var sb = new StringBuilder();
        foreach (var preset in results.Select(r => r.Preset).Distinct().OrderBy(p => p == "full" ? 0 : 1))
        {
            var table = ResultsTable.From(results.Where(r => r.Preset == preset));
            var frame = Frame.FromRecords(table.Rows);
            TableExporter.Save(frame, preset, reportDir, $"Paper column: {PaperReference.Source}.");
            sb.AppendLine($"#### Preset `{preset}` ({string.Join(", ", table.Rows.Select(r => r.Model).Distinct())}; dev splits)").AppendLine();
            sb.AppendLine("| task | method | metric | ours ± sd (seeds) | paper (GPT-4) | input tok/query | token reduction | latency ms (b=1) | speed-up (b=1) | batched speed-up | cost / 1M queries | cost saving |");
            sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
            foreach (var r in table.Rows)
                sb.AppendLine($"| {r.Task} | {r.Method} | {r.Headline} | {F(r.Score)}{(r.ScoreSd is { } sd ? " ± " + F(sd) : "")} ({r.Seeds}) | {F(r.PaperScore)} | {F(r.InputTokens)} | {Pct(r.TokenReductionPct)} | {F(r.LatencyMs)} | {Times(r.Speedup)} | {Times(r.BatchedSpeedup)} | ${F(r.CostPerMillion, "0")} | {Pct(r.CostSavingPct)} |");
            sb.AppendLine();
        }
        if (sb.Length == 0) sb.AppendLine("No finished experiments under results/ yet: run `./promptintern reproduce`.");
        sb.AppendLine(provenanceLine);
        return sb.ToString();
    }

    static string F(double? v, string format = "0.0") => v is { } x && !double.IsNaN(x) ? x.ToString(format, CultureInfo.InvariantCulture) : "";
    static string Times(double? v) => v is { } x ? x.ToString("0.00", CultureInfo.InvariantCulture) + "x" : "";
    static string Pct(double? v) => v is { } x ? F(x) + "%" : "";
}
