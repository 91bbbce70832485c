using PromptIntern.Evaluation.Latency;
using Xunit;

namespace PromptIntern.Tests.Evaluation.Latency;

public sealed class LatencyMeterTests
{
    [Fact]
    public void Stats_MedianAndP90_InterpolateLikeNumpy()
    {
        var s = LatencyStats.From(Enumerable.Range(1, 10).Select(i => (double)i).Reverse());
        Assert.Equal(5.5, s.MedianMs, 9);
        Assert.Equal(9.1, s.P90Ms, 9); // numpy.percentile(range(1, 11), 90)
        Assert.Equal(5.5, s.MeanMs, 9);
        Assert.Equal(3.0277, s.StdMs, 3);
        Assert.Equal((1, 10), (s.MinMs, s.MaxMs));
    }

    [Fact]
    public void PerQuery_SkipsWarmup_AndKeepsThePrefillDecodeSplit()
    {
        int calls = 0;
        var meter = new LatencyMeter(warmupCalls: 3);
        var report = meter.PerQuery(new[] { 1, 2, 3, 4 }, q =>
        {
            calls++;
            Thread.Sleep(5);
            return new PhaseTiming(TimeSpan.FromMilliseconds(q), TimeSpan.FromMilliseconds(10 * q), OutputTokens: 20);
        });
        Assert.Equal(7, calls);
        Assert.Equal(4, report.Total.Count);
        Assert.True(report.Total.MinMs >= 4.5, $"{report.Total.MinMs}");
        Assert.Equal(2.5, report.Prefill!.MedianMs, 9);
        Assert.Equal(25, report.Decode!.MedianMs, 9);
        Assert.Equal(80 / 0.1, report.DecodeTokensPerSecond!.Value, 6); // 80 tokens in 100 ms of decode
    }

    [Fact]
    public void PerQuery_WithoutPhaseReports_HasTotalsOnly()
    {
        var report = new LatencyMeter(0).PerQuery(new[] { "a", "b" }, (string _) => { });
        Assert.Null(report.Prefill);
        Assert.Null(report.DecodeTokensPerSecond);
        Assert.Equal(2, report.Total.Count);
    }

    [Fact]
    public void Throughput_CountsItemsOverAllBatches()
    {
        var seen = new List<int>();
        var report = new LatencyMeter(1).Throughput(Enumerable.Range(0, 10).ToList(), 4, b => { seen.AddRange(b); Thread.Sleep(10); });
        Assert.Equal(4 + 10, seen.Count); // one warm-up batch of 4, then all 10
        Assert.Equal(3, report.PerBatch.Count);
        Assert.Equal(10 / report.Seconds, report.ItemsPerSecond, 6);
        Assert.True(report.ItemsPerSecond < 10 / 0.03 * 1.01);
    }
}
