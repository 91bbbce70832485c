namespace PromptIntern.Compression;

/// <summary>Self-information of lexical units, from a scorer's tokens: each token's information is shared among
/// the units its span overlaps, in proportion to the overlap, so tokenizations that cross word edges still add up.</summary>
public static class UnitInformation
{
    /// <summary>Per unit in [firstUnit, firstUnit+count): total self-information (nats) and the number of
    /// scorer tokens it holds (fractional where a token is shared).</summary>
    /// <param name="offset">Position in <c>doc.Text</c> of char 0 of the scored text.</param>
    public static (double[] Sum, double[] Tokens) Aggregate(PromptDocument doc, int firstUnit, int count,
        IReadOnlyList<ScoredToken> tokens, int offset)
    {
        var sum = new double[count];
        var n = new double[count];
        var u = firstUnit;
        foreach (var t in tokens)
        {
            int ts = t.Start + offset, te = ts + Math.Max(1, t.Length);
            while (u < firstUnit + count && doc.Units[u].End <= ts) u++;
            for (var k = u; k < firstUnit + count && doc.Units[k].Start < te; k++)
            {
                var overlap = Math.Min(te, doc.Units[k].End) - Math.Max(ts, doc.Units[k].Start);
                if (overlap <= 0) continue;
                var share = overlap / (double)(te - ts);
                sum[k - firstUnit] += share * t.SelfInformation;
                n[k - firstUnit] += share;
            }
        }
        return (sum, n);
    }

    /// <summary>Mean self-information per scorer token of each unit (0 for units no token touched).</summary>
    public static double[] Mean(double[] sum, double[] tokens) =>
        sum.Select((s, i) => tokens[i] > 0 ? s / tokens[i] : 0).ToArray();

    /// <summary>Each unit's rank within the group as the fraction of the group's counted tokens that score lower
    /// (ties share a rank): a percentile in [0, 1) that makes groups with different rates comparable.</summary>
    public static double[] TokenPercentile(PromptDocument doc, IReadOnlyList<int> units, Func<int, double> score)
    {
        var order = units.OrderBy(score).ThenBy(u => u).ToList();
        var total = Math.Max(1, units.Sum(u => Math.Max(1, doc.UnitTokens[u])));
        var pct = new double[units.Count];
        var index = units.Select((u, i) => (u, i)).ToDictionary(x => x.u, x => x.i);
        double below = 0;
        for (var i = 0; i < order.Count;)
        {
            var j = i;
            double tied = 0;
            while (j < order.Count && score(order[j]) == score(order[i])) { tied += Math.Max(1, doc.UnitTokens[order[j]]); j++; }
            for (var k = i; k < j; k++) pct[index[order[k]]] = below / total;
            below += tied;
            i = j;
        }
        return pct;
    }
}
