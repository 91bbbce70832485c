using PromptIntern.Experiments;
using Xunit;

namespace PromptIntern.Tests.Experiments;

public class PairedBootstrapTests
{
    static IReadOnlyList<IReadOnlyList<double>> Seeds(params double[][] rows) => rows;

    [Fact]
    public void TwoRows_DifferencesZeroAndOne_GiveTheWholeRange()
    {
        // Resampled means are 0, 0.5 or 1 with probability 1/4, 1/2, 1/4: the 2.5% and 97.5% points are 0 and 1.
        var d = PairedBootstrap.Compute(Seeds([1, 1]), Seeds([1, 0]));
        Assert.Equal(0.5, d.Mean, 12);
        Assert.Equal(0, d.Lower, 12);
        Assert.Equal(1, d.Upper, 12);
        Assert.Equal(0, d.Sign);
        Assert.Equal("no clear difference", d.Verdict);
    }

    [Fact]
    public void ConstantDifference_GivesADegenerateInterval_AndAVerdict()
    {
        var better = PairedBootstrap.Compute(Seeds([3, 4, 5], [2, 2, 2]), Seeds([1, 2, 3], [0, 0, 0]));
        Assert.Equal((2.0, 2.0, 2.0), (better.Mean, better.Lower, better.Upper));
        Assert.Equal("better", better.Verdict);
        var worse = PairedBootstrap.Compute(Seeds([0, 0]), Seeds([1, 1]));
        Assert.Equal("worse", worse.Verdict);
    }

    [Fact]
    public void ManyRows_OneSeed_MatchesTheNormalApproximation()
    {
        // 400 rows, the method right on 240 where the reference is right on 160 (0/100 scores): difference 20 points,
        // standard error sqrt(Σ(d − mean)² / n) / sqrt(n) with d ∈ {−100, 0, 100}.
        var method = new double[400];
        var reference = new double[400];
        for (int i = 0; i < 400; i++) { method[i] = i < 240 ? 100 : 0; reference[i] = i % 5 < 2 ? 100 : 0; }
        var d = PairedBootstrap.Compute(Seeds(method), Seeds(reference));
        var diffs = method.Zip(reference, (a, b) => a - b).ToArray();
        double mean = diffs.Average(), se = Math.Sqrt(diffs.Sum(x => (x - mean) * (x - mean)) / diffs.Length / diffs.Length);
        Assert.Equal(mean, d.Mean, 9);
        Assert.InRange(d.Lower, mean - 1.96 * se - 0.6, mean - 1.96 * se + 0.6);
        Assert.InRange(d.Upper, mean + 1.96 * se - 0.6, mean + 1.96 * se + 0.6);
    }

    [Fact]
    public void SameSeed_SameInterval_OtherSeed_OtherResamples()
    {
        var a = Seeds([1, 0, 1, 1, 0, 1], [0, 0, 1, 1, 1, 1]);
        var b = Seeds([0, 0, 1, 0, 0, 1], [1, 0, 0, 1, 0, 1]);
        Assert.Equal(PairedBootstrap.Compute(a, b), PairedBootstrap.Compute(a, b));
        Assert.NotEqual(PairedBootstrap.Compute(a, b, resamples: 200, seed: 1), PairedBootstrap.Compute(a, b, resamples: 200, seed: 2));
    }

    [Fact]
    public void SeedsAreResampledAsPairs_SoSeedToSeedSpreadWidensTheInterval()
    {
        // Each seed on its own has a constant difference (+10 and −10): only resampling the seeds makes the interval wide.
        var d = PairedBootstrap.Compute(Seeds([10, 10, 10], [0, 0, 0]), Seeds([0, 0, 0], [10, 10, 10]));
        Assert.Equal(0, d.Mean, 12);
        Assert.Equal(-10, d.Lower, 12);
        Assert.Equal(10, d.Upper, 12);
    }

    [Fact]
    public void MismatchedShapes_Throw()
    {
        Assert.Throws<ArgumentException>(() => PairedBootstrap.Compute(Seeds([1, 2]), Seeds([1, 2], [1, 2])));
        Assert.Throws<ArgumentException>(() => PairedBootstrap.Compute(Seeds([1, 2]), Seeds([1])));
    }

    [Fact]
    public void ExampleScores_TruncatedPredictionRow_NamesFileAndLine()
    {
        using var dir = new TempDir();
        var path = dir.Write("predictions.jsonl", "{\"id\":\"a\",\"scores\":{\"EM\":1}}\n{\"id\":\"b\",\"sco\n");
        var e = Assert.Throws<PromptIntern.Data.DataFormatException>(() => ExampleScores.Read(dir.Path, "EM"));
        Assert.Equal((path, 2, "(json)"), (e.File, e.Line, e.Field));
    }
}
