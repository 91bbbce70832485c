namespace PromptIntern.Evaluation.Latency;

/// <summary>Summary of repeated timings in milliseconds: mean, median, 90th percentile (linear interpolation, as numpy's
/// default), standard deviation (sample), min and max.</summary>
public sealed record LatencyStats(int Count, double MeanMs, double MedianMs, double P90Ms, double StdMs, double MinMs, double MaxMs)
{
    public static LatencyStats From(IEnumerable<double> milliseconds)
    {
        var xs = milliseconds.OrderBy(x => x).ToArray();
        if (xs.Length == 0) throw new ArgumentException("no timings to summarize");
        double mean = xs.Average();
        double std = xs.Length > 1 ? Math.Sqrt(xs.Sum(x => (x - mean) * (x - mean)) / (xs.Length - 1)) : 0;
        return new LatencyStats(xs.Length, mean, Percentile(xs, 0.5), Percentile(xs, 0.9), std, xs[0], xs[^1]);
    }

    /// <summary>The q-quantile of sorted values, interpolating between neighbours.</summary>
    public static double Percentile(double[] sorted, double q)
    {
        double pos = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos), hi = (int)Math.Ceiling(pos);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }
}
