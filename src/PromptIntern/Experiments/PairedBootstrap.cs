namespace PromptIntern.Experiments;

/// <summary>A method's mean difference to a reference method on the same dev rows and seeds, with a paired bootstrap
/// confidence interval. <see cref="Sign"/> is +1 or −1 only where the interval excludes zero.</summary>
public sealed record PairedDifference(double Mean, double Lower, double Upper, int Rows, int Seeds, int Resamples, double Level)
{
    public int Sign => Lower > 0 ? 1 : Upper < 0 ? -1 : 0;

    /// <summary>"+3.3 [−1.7, +8.3]": the mean difference and its interval, signed, one decimal.</summary>
    public string Interval => $"{Signed(Mean)} [{Signed(Lower)}, {Signed(Upper)}]";

    static string Signed(double v) => (v >= 0 ? "+" : "−") + Math.Abs(v).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>"better", "worse" or "no clear difference", read from the interval.</summary>
    public string Verdict => Sign switch { 1 => "better", -1 => "worse", _ => "no clear difference" };
}

/// <summary>Paired bootstrap over dev rows and seeds: each resample draws the seeds (as pairs: seed s of the method against
/// seed s of the reference) and the dev rows (the same rows for every seed) with replacement, and takes the mean difference;
/// the interval is the percentile interval of those means. Deterministic under <c>seed</c>.</summary>
/// <remarks>Resampling the seeds too makes the interval cover seed-to-seed variation of training as well as the choice of
/// dev rows; with one seed only rows are resampled. Percentiles use linear interpolation between order statistics.</remarks>
public static class PairedBootstrap
{
    public const int DefaultResamples = 10_000, DefaultSeed = 2407;

    /// <summary>The interval of mean(<paramref name="method"/> − <paramref name="reference"/>). Both are indexed [seed][row],
    /// with the same seeds in the same order and the same rows in the same order.</summary>
    public static PairedDifference Compute(IReadOnlyList<IReadOnlyList<double>> method, IReadOnlyList<IReadOnlyList<double>> reference,
        double level = 0.95, int resamples = DefaultResamples, int seed = DefaultSeed)
    {
        if (method.Count == 0 || method.Count != reference.Count) throw new ArgumentException($"need the same seeds on both sides, got {method.Count} and {reference.Count}");
        int rows = method[0].Count;
        if (rows == 0) throw new ArgumentException("no dev rows");
        for (int s = 0; s < method.Count; s++)
            if (method[s].Count != rows || reference[s].Count != rows)
                throw new ArgumentException($"seed {s}: {method[s].Count} and {reference[s].Count} rows, expected {rows} on both sides");
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "must be in (0, 1)");
        if (resamples < 1) throw new ArgumentOutOfRangeException(nameof(resamples), resamples, "must be >= 1");

        int seeds = method.Count;
        var diff = new double[seeds][];
        for (int s = 0; s < seeds; s++) diff[s] = Enumerable.Range(0, rows).Select(i => method[s][i] - reference[s][i]).ToArray();
        double mean = diff.Average(d => d.Average());

        var rng = new Random(seed);
        var means = new double[resamples];
        var pickedSeeds = new int[seeds];
        for (int b = 0; b < resamples; b++)
        {
            for (int s = 0; s < seeds; s++) pickedSeeds[s] = seeds == 1 ? 0 : rng.Next(seeds);
            double sum = 0;
            for (int i = 0; i < rows; i++)
            {
                int row = rng.Next(rows);
                foreach (var s in pickedSeeds) sum += diff[s][row];
            }
            means[b] = sum / (rows * (double)seeds);
        }
        Array.Sort(means);
        double tail = (1 - level) / 2;
        return new PairedDifference(mean, Percentile(means, tail), Percentile(means, 1 - tail), rows, seeds, resamples, level);
    }

    /// <summary>The <paramref name="q"/>-quantile of sorted values, interpolated linearly between order statistics.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double q)
    {
        double pos = q * (sorted.Count - 1);
        int lo = (int)Math.Floor(pos), hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }
}
