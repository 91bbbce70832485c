using PromptIntern.Absorption;
using PromptIntern.Compression;
using PromptIntern.Curriculum;
using PromptIntern.Data;
using PromptIntern.Modeling;
using PromptIntern.Scheduling;
using PromptIntern.Training;
using Xunit;
using static PromptIntern.Tests.Modeling.ModelingTestHelpers;

namespace PromptIntern.Tests.Training;

public class ProgressiveTrainerTests
{
    static readonly IReadOnlyList<TaskExample> Train = Enumerable.Range(0, 12)
        .Select(i => new TaskExample($"t{i:00}", $"list the files in dir{i}", $"ls dir{i}")).ToList();

    static StagedCurriculum TwoStages()
    {
        var plan = new InternalizationPlan("two-stage", "template + 1 shot, then query only",
            [new PlanStage(1.0, 1), new PlanStage(null, 0)], InferenceLayout.QueryOnly, Epochs: 4).Validate();
        var builder = new CurriculumBuilder("Answer with one bash command.", new TruncateCompressor(), [], new Bm25Retriever(Train));
        return builder.Build(Train, plan);
    }

    static TrainOptions Options => new() { MicroBatchSize = 4, MaxSeqLength = 96, LearningRate = 3e-3, WarmupSteps = 1, LogInterval = 1, SaveInterval = 2 };

    static float[] Weights(CausalLanguageModel lm) =>
        lm.Model.parameters().SelectMany(p => p.detach().cpu().to(TorchSharp.torch.ScalarType.Float32).data<float>().ToArray()).ToArray();

    /// <summary>An uninterrupted run from the seed-3 micro model into <paramref name="dir"/>: its final weights.</summary>
    static float[] TrainedWeights(StagedCurriculum curriculum, string dir)
    {
        using var lm = MicroModel(seed: 3);
        ProgressiveTrainer.Train(lm, curriculum, Options, dir);
        return Weights(lm);
    }

    [Fact]
    public void Train_ChangesWeightsInEveryStage()
    {
        var curriculum = TwoStages();
        using var lm = MicroModel(seed: 3);
        var before = Weights(lm);
        var dir = TempDir();
        var summaries = ProgressiveTrainer.Train(lm, curriculum, Options, dir);
        Assert.Equal(2, summaries.Count);
        Assert.All(summaries, s => Assert.Equal(ProgressiveTrainer.StepsFor(12, 2, Options), s.Steps));
        using var afterStage1 = CausalLanguageModel.Load(Path.Combine(dir, "stage-1", ProgressiveTrainer.ModelFolder));
        var stage1 = Weights(afterStage1);
        var stage2 = Weights(lm);
        Assert.NotEqual(before, stage1);
        Assert.NotEqual(stage1, stage2);
    }

    [Fact]
    public void Train_ResumedMidSecondStage_EqualsUninterruptedRun()
    {
        var curriculum = TwoStages();
        var fullDir = TempDir();
        var expected = TrainedWeights(curriculum, fullDir);

        var splitDir = TempDir();
        var stopper = new CancellationTokenSource();
        using (var lm = MicroModel(seed: 3))
            Assert.Throws<OperationCanceledException>(() => ProgressiveTrainer.Train(lm, curriculum, Options, splitDir,
                new Sync(x => { if (x.Stage == 2 && x.Progress.Step == 3) stopper.Cancel(); }), stopper.Token));
        Assert.True(File.Exists(Path.Combine(splitDir, "stage-1", ProgressiveTrainer.DoneFile)));
        Assert.False(File.Exists(Path.Combine(splitDir, "stage-2", ProgressiveTrainer.DoneFile)));
        using (var lm = MicroModel(seed: 3))
        {
            ProgressiveTrainer.Train(lm, curriculum, Options, splitDir);
            Assert.Equal(expected, Weights(lm));
        }
    }

    [Fact]
    public void Train_RestartedAfterFinishedStage_ContinuesFromThatStagesWeights()
    {
        var curriculum = TwoStages();
        var fullDir = TempDir();
        var expected = TrainedWeights(curriculum, fullDir);
        // Keep only stage 1 of the finished run: the restart must load its weights, then train stage 2 exactly as before.
        Directory.Delete(Path.Combine(fullDir, "stage-2"), recursive: true);
        using var restarted = MicroModel(seed: 77);
        ProgressiveTrainer.Train(restarted, curriculum, Options, fullDir);
        Assert.Equal(expected, Weights(restarted));
    }

    [Fact]
    public void Train_RunAgainAfterEveryStageFinished_LeavesTheModelWithTheFinalWeights()
    {
        var curriculum = TwoStages();
        var dir = TempDir();
        var expected = TrainedWeights(curriculum, dir);
        // Nothing is left to train, but the caller evaluates the model it passed in: it must hold the last stage's weights.
        using var again = MicroModel(seed: 77);
        var summaries = ProgressiveTrainer.Train(again, curriculum, Options, dir);
        Assert.Equal(2, summaries.Count);
        Assert.Equal(expected, Weights(again));
    }

    sealed class Sync(Action<(int Stage, TrainingProgress Progress)> report) : IProgress<(int Stage, TrainingProgress Progress)>
    {
        public void Report((int Stage, TrainingProgress Progress) value) => report(value);
    }
}
