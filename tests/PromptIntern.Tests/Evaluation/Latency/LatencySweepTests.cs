using PromptIntern.Evaluation.Latency;
using Xunit;

namespace PromptIntern.Tests.Evaluation.Latency;

public class LatencySweepTests
{
    [Fact]
    public void Measure_WarmsEveryItemUp_ThenRunsInterleavedRounds()
    {
        var calls = new List<string>();
        var points = LatencySweep.Measure(["a", "b"], repetitions: 2, x => calls.Add(x), warmupCallsPerItem: 1);

        Assert.Equal(["a", "b", "a", "b", "a", "b"], calls);
        Assert.Equal(["a", "b"], points.Select(p => p.Item));
        Assert.All(points, p => Assert.Equal(2, p.Stats.Count));
    }

    [Fact]
    public void Measure_TimesEachItemSeparately()
    {
        var points = LatencySweep.Measure([1, 30], repetitions: 3, ms => Thread.Sleep(ms), warmupCallsPerItem: 0);

        Assert.True(points[1].Stats.MedianMs >= 25, $"slow item median {points[1].Stats.MedianMs} ms");
        Assert.True(points[0].Stats.MedianMs < points[1].Stats.MedianMs);
    }

    [Fact]
    public void Measure_RejectsNoItemsAndNoRepetitions()
    {
        Assert.Throws<ArgumentException>(() => LatencySweep.Measure(Array.Empty<int>(), 1, _ => { }));
        Assert.Throws<ArgumentOutOfRangeException>(() => LatencySweep.Measure([1], 0, _ => { }));
    }
}
