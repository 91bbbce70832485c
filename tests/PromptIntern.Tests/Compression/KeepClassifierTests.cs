using PromptIntern.Compression;
using Xunit;

namespace PromptIntern.Tests.Compression;

public class KeepClassifierTests
{
    [Fact]
    public void Distill_LearnsTheTeacherBetterThanChance_AndRoundTripsThroughDisk()
    {
        var texts = CompressionFixture.LongTemplate.Split("### Query:").Where(t => t.Length > 100).ToList();
        var teacher = new LlmLinguaCompressor(CompressionFixture.Scorer);
        var config = new KeepClassifierConfig(Buckets: 1024, WordDim: 16, ShapeDim: 4, Hidden: 16, Window: 64);
        var (model, report) = KeepClassifierTrainer.Distill(teacher, texts,
            new KeepClassifierTraining(Epochs: 8, HeldOutFraction: 0.2, LearningRate: 1e-2), config);

        Assert.Equal(texts.Count, report.Texts);
        Assert.True(report.EpochLoss[^1] < report.EpochLoss[0], string.Join(", ", report.EpochLoss));
        Assert.InRange(report.KeptFraction, 0.2, 0.7);

        var dir = Path.Combine(Path.GetTempPath(), "pi-compression-tests", Guid.NewGuid().ToString("N"));
        model.SaveTo(dir);
        var loaded = KeepClassifier.LoadFrom(dir);
        var units = LexicalUnits.Split(texts[0]).Select(u => texts[0].Substring(u.Start, u.Length)).ToList();
        Assert.Equal(model.KeepProbabilities(units), loaded.KeepProbabilities(units));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void ShippedClassifier_AgreesWithItsTeacher()
    {
        // The weights under data/compressors/llmlingua2 were distilled from llmlingua (over the tiny LM; see its
        // training.json) on train-split prompts like the fixture's: the words they keep should overlap llmlingua's
        // choices (here over the cheap n-gram scorer) clearly more than random words do.
        var classifier = Compressors.LoadOrDistillClassifier(Compressors.DefaultClassifierDir, CompressionFixture.Scorer);
        var request = new CompressionRequest { Instruction = CompressionFixture.LongTemplate, KeepRate = 0.5 };
        var student = new LlmLingua2Compressor(classifier).Compress(request);
        var teacher = new LlmLinguaCompressor(CompressionFixture.Scorer).Compress(request);
        var random = new RandomDropCompressor().Compress(request);
        Assert.True(Agreement(student, teacher) > Agreement(random, teacher) + 0.05,
            $"student {Agreement(student, teacher):0.00}, random {Agreement(random, teacher):0.00}");
    }

    static double Agreement(CompressionResult a, CompressionResult b)
    {
        var units = LexicalUnits.Split(a.OriginalPrompt);
        return units.Count(u => KeptAt(a, u.Start) == KeptAt(b, u.Start)) / (double)units.Count;
    }

    static bool KeptAt(CompressionResult r, int pos) => r.Spans.First(s => s.Start <= pos && pos < s.Start + s.Length).Kept;
}
