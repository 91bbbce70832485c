using System.Globalization;
using System.Text;
using PromptIntern.Data;
using PromptIntern.Experiments;
using PromptIntern.Provenance;
using PromptIntern.Scheduling;

namespace PromptIntern.UserTasks;

/// <summary>One base of a comparison: its label (the model name its experiments record) and its own study table.</summary>
public sealed record StudyBase(string Label, StudyTable Table)
{
    /// <summary>"nano4k-63a7a20c (held-out perplexity 11.28)", or "... not measured" where the base has none.</summary>
    public string Caption => $"{Label} (held-out perplexity {StudyTable.Perplexity(Table.Base)})";
}

/// <summary>A (train rows, method) row present on every base: that base's study row and the method's rank among the
/// methods of the same size on that base, per base in the comparison's order.</summary>
public sealed record BaseComparisonRow(int TrainRows, string Method, string Metric, IReadOnlyList<StudyRow> PerBase, IReadOnlyList<int> Ranks);

/// <summary>How base quality moves a study's ranking: the rows every base has, side by side, each base's column group headed
/// by its held-out perplexity; per base the mean ± sd over seeds, the paired difference to query-only fine-tuning with its
/// interval (from that base's <see cref="StudyTable"/>), the verdict and the method's rank at that size.</summary>
public sealed record BaseComparison(string Task, IReadOnlyList<StudyBase> Bases, IReadOnlyList<BaseComparisonRow> Rows)
{
    /// <summary>The methods whose standing against query-only fine-tuning the verdict follows across bases.</summary>
    public static readonly string[] Followed = [Internalizer.Internalized, PlanPresets.FinalStageFull];

    /// <summary>The comparison of a built-in task's reproduce grid (presets full and full-n&lt;rows&gt;) over the bases, in their order.</summary>
    public static BaseComparison SummarizeReproduced(string experimentsDirectory, string task, IReadOnlyList<string> bases) =>
        From(task, bases.Select(b => new StudyBase(b, DataEfficiencyStudy.SummarizeReproduced(experimentsDirectory, task, b))).ToList());

    /// <summary>The comparison a `study --compare-bases` run wrote into <paramref name="folder"/> (its run.json names the task
    /// and the bases), rebuilt from the experiments; null when the folder holds no run.json.</summary>
    public static BaseComparison? Load(string folder, string experimentsDirectory)
    {
        var runJson = Path.Combine(folder, "run.json");
        if (!File.Exists(runJson)) return null;
        var (task, bases) = JsonFile.Read(runJson, root =>
        {
            var config = root.GetProperty("config");
            return (config.GetProperty("task").GetString()!, config.GetProperty("bases").EnumerateArray().Select(b => b.GetProperty("label").GetString()!).ToList());
        });
        return SummarizeReproduced(experimentsDirectory, task, bases);
    }

    /// <summary>Keeps the (train rows, method) rows found on every base (in the first base's order) and ranks, per base and
    /// size, those methods by mean (1 = highest; equal means share a rank).</summary>
    public static BaseComparison From(string task, IReadOnlyList<StudyBase> bases)
    {
        if (bases.Count == 0) throw new ArgumentException("no base to compare", nameof(bases));
        var keys = bases.Select(b => b.Table.Rows.Select(r => (r.TrainRows, r.Method))).Aggregate((a, b) => a.Intersect(b)).ToHashSet();
        var perBase = bases.Select(b => b.Table.Rows.Where(r => keys.Contains((r.TrainRows, r.Method))).ToDictionary(r => (r.TrainRows, r.Method))).ToList();
        var rows = bases[0].Table.Rows.Where(r => keys.Contains((r.TrainRows, r.Method))).Select(first =>
        {
            var mine = perBase.Select(d => d[(first.TrainRows, first.Method)]).ToList();
            var ranks = perBase.Select((d, i) => 1 + d.Values.Count(o => o.TrainRows == first.TrainRows && o.Mean > mine[i].Mean)).ToList();
            return new BaseComparisonRow(first.TrainRows, first.Method, first.Metric, mine, ranks);
        }).ToList();
        return new BaseComparison(task, bases, rows);
    }

    public IReadOnlyList<string> Columns =>
    [
        "train rows", "method", "metric",
        .. Bases.SelectMany(b => new[]
        {
            $"{b.Caption}: mean ± sd (seeds)", $"{b.Label}: Δ vs query-only [95% CI]", $"{b.Label}: vs query-only", $"{b.Label}: rank",
        }),
    ];

    public IReadOnlyList<string[]> Cells() => Rows.Select(r => (string[])
    [
        r.TrainRows.ToString(CultureInfo.InvariantCulture), r.Method, r.Metric,
        .. r.PerBase.SelectMany((s, i) => new[]
        {
            StudyText.MeanSd(s.Mean, s.Sd, s.Seeds), s.VsQueryOnly?.Interval ?? "", s.VsQueryOnly?.Verdict ?? "", r.Ranks[i].ToString(CultureInfo.InvariantCulture),
        }),
    ]).ToList();

    /// <summary>One sentence: whether the standing of <see cref="Followed"/> against query-only fine-tuning (better, worse or
    /// no clear difference, from each base's 95% paired interval) changes from base to base, at every size all bases share;
    /// where it does not, also whether the order of the means flips inside the intervals.</summary>
    public string Verdict()
    {
        var across = $"On {Task}, across bases {Join(Bases.Select(b => b.Caption))}";
        var compared = Rows.Where(r => Followed.Contains(r.Method) && r.PerBase.All(s => s.VsQueryOnly is not null)).ToList();
        if (compared.Count == 0)
            return $"{across}, no row of {Join(Followed)} has a query-only partner on every base, so the bases' rankings cannot be compared.";
        string At(BaseComparisonRow r) => $"{r.Method} at {r.TrainRows} rows";
        var changed = compared.Where(r => r.PerBase.Select(s => s.VsQueryOnly!.Verdict).Distinct().Count() > 1).ToList();
        var same = compared.Except(changed).Select(r => $"{At(r)}: {r.PerBase[0].VsQueryOnly!.Verdict} on every base").ToList();
        if (changed.Count > 0)
            return $"{across}, the standing against query-only fine-tuning (95% paired interval) changes with the base for " +
                   string.Join("; ", changed.Select(r => $"{At(r)} ({Join(r.PerBase.Select((s, i) => $"{s.VsQueryOnly!.Verdict} on {Bases[i].Label}"))})")) +
                   (same.Count > 0 ? $"; it does not for {string.Join("; ", same)}." : ".");
        var flips = compared.Where(r => r.PerBase.Select((s, i) => Math.Sign(s.Mean - QueryOnlyMean(i, r.TrainRows))).Distinct().Count() > 1).Select(At).ToList();
        return $"{across}, the standing of {Join(compared.Select(r => r.Method).Distinct())} against query-only fine-tuning (95% paired interval) " +
               $"does not change with the base: {string.Join("; ", same)}" +
               (flips.Count > 0 ? $"; the order of the means against query-only flips for {Join(flips)}, inside the intervals." : ".");
    }

    /// <summary>The query-only mean of base <paramref name="b"/> at <paramref name="trainRows"/> (its own table holds it).</summary>
    double QueryOnlyMean(int b, int trainRows) =>
        Bases[b].Table.Rows.First(q => q.TrainRows == trainRows && q.Method == Internalizer.QueryOnly).Mean;

    static string Join(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count <= 1 ? string.Concat(list) : string.Join(", ", list.Take(list.Count - 1)) + " and " + list[^1];
    }

    /// <summary>The verdict, each base's perplexity line, the table and its notes.</summary>
    public string ToMarkdown()
    {
        var sb = new StringBuilder().AppendLine(Verdict()).AppendLine();
        foreach (var b in Bases) sb.AppendLine($"- {b.Label}: {b.Table.BaseLine}");
        sb.AppendLine().AppendLine("Rows present on every base. Rank: the method's place by mean among these methods at the same training-set size " +
                                   "on that base (1 = highest).").AppendLine();
        return sb.AppendMarkdownTable(Columns, Cells()).AppendIntervalNotes(Rows.Any(r => r.Metric == "BLEU")).ToString();
    }

    public string ToCsv() => StudyText.Csv(Columns, Cells());

    /// <summary>summary.md, summary.csv and run.json (config, commit, machine, date) into <paramref name="dir"/>, atomically.</summary>
    public void Write(string dir, IReadOnlyDictionary<string, object?> config)
    {
        Directory.CreateDirectory(dir);
        AtomicFile.WriteAllText(Path.Combine(dir, "summary.md"), ToMarkdown());
        AtomicFile.WriteAllText(Path.Combine(dir, "summary.csv"), ToCsv());
        AtomicFile.WriteAllText(Path.Combine(dir, "run.json"), RunProvenance.Capture(new Dictionary<string, object?>(config)
        {
            ["bases"] = Bases.Select(b => new { label = b.Label, heldout = b.Table.Base }).ToList(),
        }).ToJson());
    }
}
