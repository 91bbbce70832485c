namespace PromptIntern.Experiments;

/// <summary>Median and 90th percentile of timed samples.</summary>
public static class LatencyStats
{
    public static double Percentile(IReadOnlyList<double> samples, double p)
    {
        if (samples.Count == 0) return double.NaN;
        var sorted = samples.OrderBy(x => x).ToArray();
        var pos = p * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos), hi = (int)Math.Ceiling(pos);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }
}
