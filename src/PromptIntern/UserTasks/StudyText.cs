using System.Globalization;
using System.Text;
using PromptIntern.Experiments;

namespace PromptIntern.UserTasks;

/// <summary>How study tables are written: numbers with one decimal, a Markdown or CSV table from header and cells, and the
/// notes under every table that says how its intervals were made.</summary>
static class StudyText
{
    public static string F(double v, string format = "0.0") => v.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>"8.1 ± 0.6 (3)": the mean over seeds, its standard deviation (where there are two or more), the seed count.</summary>
    public static string MeanSd(double mean, double? sd, int seeds) => $"{F(mean)}{(sd is { } s ? " ± " + F(s) : "")} ({seeds})";

    public static StringBuilder AppendMarkdownTable(this StringBuilder sb, IReadOnlyList<string> columns, IEnumerable<string[]> cells)
    {
        sb.AppendLine("| " + string.Join(" | ", columns) + " |").AppendLine("|" + string.Concat(columns.Select(_ => "---|")));
        foreach (var row in cells) sb.AppendLine("| " + string.Join(" | ", row) + " |");
        return sb;
    }

    public static string Csv(IReadOnlyList<string> columns, IEnumerable<string[]> cells)
    {
        static string Field(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
        var sb = new StringBuilder().AppendLine(string.Join(",", columns.Select(Field)));
        foreach (var row in cells) sb.AppendLine(string.Join(",", row.Select(Field)));
        return sb.ToString();
    }

    /// <summary>The notes under a table: what Δ and its interval are, and (for BLEU rows) why Δ need not equal the means' difference.</summary>
    public static StringBuilder AppendIntervalNotes(this StringBuilder sb, bool bleu)
    {
        sb.AppendLine().AppendLine("Δ: the row's mean minus the reference row's, over the same dev rows and seeds; 95% paired bootstrap interval " +
            $"({PairedBootstrap.DefaultResamples:N0} resamples of seeds and rows, seed {PairedBootstrap.DefaultSeed}). " +
            "\"better\"/\"worse\" only where the interval excludes zero.");
        if (bleu)
            sb.AppendLine().AppendLine("BLEU rows: the mean is corpus BLEU, Δ is the difference of mean sentence-level BLEU over the paired rows " +
                                       "(corpus BLEU has no per-row decomposition), so Δ and the difference of the means need not agree.");
        return sb;
    }
}
