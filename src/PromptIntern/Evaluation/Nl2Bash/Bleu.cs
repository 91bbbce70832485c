namespace PromptIntern.Evaluation.Nl2Bash;

/// <summary>BLEU-4 (Papineni et al. 2002) on the 0–100 scale, one reference per hypothesis, uniform weights and the brevity
/// penalty, as sacrebleu/nltk <c>corpus_bleu</c> compute it; sentence BLEU adds sacrebleu's default "exp" smoothing.</summary>
public static class Bleu
{
    public const int MaxOrder = 4;

    /// <summary>Clipped n-gram matches and hypothesis n-gram totals per order, plus the two lengths.</summary>
    public sealed record Statistics(long[] Matches, long[] Totals, long HypothesisLength, long ReferenceLength)
    {
        public static Statistics Empty => new(new long[MaxOrder], new long[MaxOrder], 0, 0);

        public Statistics Add(Statistics o) => new(
            Matches.Zip(o.Matches, (a, b) => a + b).ToArray(), Totals.Zip(o.Totals, (a, b) => a + b).ToArray(),
            HypothesisLength + o.HypothesisLength, ReferenceLength + o.ReferenceLength);
    }

    public static Statistics Count(IReadOnlyList<string> hypothesis, IReadOnlyList<string> reference)
    {
        var matches = new long[MaxOrder];
        var totals = new long[MaxOrder];
        for (int n = 1; n <= MaxOrder; n++)
        {
            var refCounts = NGrams(reference, n);
            foreach (var (gram, count) in NGrams(hypothesis, n))
            {
                totals[n - 1] += count;
                matches[n - 1] += Math.Min(count, refCounts.GetValueOrDefault(gram));
            }
        }
        return new Statistics(matches, totals, hypothesis.Count, reference.Count);
    }

    /// <summary>Corpus BLEU: statistics summed over all pairs, then one score. No smoothing: an order with zero matches
    /// gives 0, as in nltk; orders with no hypothesis n-grams at all (every hypothesis shorter than n) are left out.</summary>
    public static double Corpus(IEnumerable<(IReadOnlyList<string> Hypothesis, IReadOnlyList<string> Reference)> pairs)
    {
        var total = pairs.Aggregate(Statistics.Empty, (s, p) => s.Add(Count(p.Hypothesis, p.Reference)));
        return Score(total, smooth: false);
    }

    /// <summary>Sentence BLEU with "exp" smoothing (Chen &amp; Cherry 2014, method 3; sacrebleu's default) and effective order.</summary>
    public static double Sentence(IReadOnlyList<string> hypothesis, IReadOnlyList<string> reference) =>
        Score(Count(hypothesis, reference), smooth: true);

    public static double Score(Statistics s, bool smooth)
    {
        if (s.HypothesisLength == 0) return 0;
        double logSum = 0, smoothing = 1;
        int orders = 0;
        for (int n = 0; n < MaxOrder; n++)
        {
            if (s.Totals[n] == 0) break; // effective order: no n-grams of this length exist in the hypotheses
            orders++;
            double p;
            if (s.Matches[n] > 0) p = (double)s.Matches[n] / s.Totals[n];
            else if (smooth) { smoothing *= 2; p = 1.0 / (smoothing * s.Totals[n]); }
            else return 0;
            logSum += Math.Log(p);
        }
        double bp = s.HypothesisLength >= s.ReferenceLength ? 1 : Math.Exp(1 - (double)s.ReferenceLength / s.HypothesisLength);
        return 100 * bp * Math.Exp(logSum / orders);
    }

    static Dictionary<string, int> NGrams(IReadOnlyList<string> tokens, int n)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i + n <= tokens.Count; i++)
        {
            var key = string.Join('\u0001', tokens.Skip(i).Take(n));
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        return counts;
    }
}
