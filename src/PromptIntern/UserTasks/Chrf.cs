namespace PromptIntern.UserTasks;

/// <summary>chrF (Popović 2015) as sacrebleu computes it by default: character n-grams of orders 1–6 with whitespace removed,
/// precision and recall averaged over orders, combined as F-β with β = 2; 0–100. Corpus chrF sums the n-gram statistics.</summary>
public static class Chrf
{
    public const int MaxOrder = 6;
    public const double Beta = 2;

    /// <summary>Per order: matched n-grams, hypothesis n-grams, reference n-grams.</summary>
    public static long[,] Count(string hypothesis, string reference)
    {
        var stats = new long[MaxOrder, 3];
        string h = Strip(hypothesis), r = Strip(reference);
        for (int n = 1; n <= MaxOrder; n++)
        {
            var hc = Grams(h, n);
            var rc = Grams(r, n);
            foreach (var (g, c) in hc) stats[n - 1, 0] += Math.Min(c, rc.GetValueOrDefault(g));
            stats[n - 1, 1] = hc.Values.Sum();
            stats[n - 1, 2] = rc.Values.Sum();
        }
        return stats;
    }

    public static double Sentence(string hypothesis, string reference) => Score(Count(hypothesis, reference));

    public static double Corpus(IEnumerable<(string Hypothesis, string Reference)> pairs)
    {
        var total = new long[MaxOrder, 3];
        foreach (var (h, r) in pairs)
        {
            var s = Count(h, r);
            for (int n = 0; n < MaxOrder; n++) for (int k = 0; k < 3; k++) total[n, k] += s[n, k];
        }
        return Score(total);
    }

    /// <summary>sacrebleu's averaging: precision and recall are averaged over the orders that have n-grams, then combined.</summary>
    static double Score(long[,] s)
    {
        double precision = 0, recall = 0;
        int orders = 0;
        for (int n = 0; n < MaxOrder; n++)
        {
            if (s[n, 1] == 0 && s[n, 2] == 0) continue;
            orders++;
            precision += s[n, 1] > 0 ? (double)s[n, 0] / s[n, 1] : 0;
            recall += s[n, 2] > 0 ? (double)s[n, 0] / s[n, 2] : 0;
        }
        if (orders == 0) return 0;
        precision /= orders; recall /= orders;
        double b2 = Beta * Beta;
        return precision + recall == 0 ? 0 : 100 * (1 + b2) * precision * recall / (b2 * precision + recall);
    }

    static string Strip(string s) => new(s.Where(c => !char.IsWhiteSpace(c)).ToArray());

    static Dictionary<string, long> Grams(string s, int n)
    {
        var d = new Dictionary<string, long>(StringComparer.Ordinal);
        for (int i = 0; i + n <= s.Length; i++) { var g = s.Substring(i, n); d[g] = d.GetValueOrDefault(g) + 1; }
        return d;
    }
}
