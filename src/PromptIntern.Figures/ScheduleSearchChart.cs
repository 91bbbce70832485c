using System.Globalization;
using Plotly.NET;
using PromptIntern.UserTasks;

namespace PromptIntern.Figures;

/// <summary>The schedule search's figure: the charts live here so the core library stays free of Plotly.NET.</summary>
public static class ScheduleSearchChart
{
    /// <summary>Accuracy against input tokens: the frontier as a line, every plan as points, the full prompt's accuracy and the
    /// tolerance floor as dashed lines.</summary>
    public static GenericChart Chart(this ScheduleSearchResult search)
    {
        var metric = search.FullPrompt.Metric;
        return LineCharts.Build($"{search.Task}: schedule search, tokens vs {metric}", "input tokens per query (o200k_base, mean over dev rows)",
            $"{metric} (0–100)",
            [
                new LineSeries("frontier", search.Frontier.Select(r => r.InputTokensPerQuery).ToList(), search.Frontier.Select(r => r.Accuracy).ToList()),
                .. search.Rows.Select(r => new LineSeries(r.Method, [r.InputTokensPerQuery], [r.Accuracy])),
            ],
            [new ReferenceLine($"full prompt: {F(search.FullPrompt.Accuracy, "0.0")}", search.FullPrompt.Accuracy),
             new ReferenceLine($"tolerance floor (−{F(search.TolerancePoints, "0.#")})", search.FullPrompt.Accuracy - search.TolerancePoints)]);
    }

    static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
}
