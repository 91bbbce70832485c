using System.Text.Json;
using PromptIntern.Curriculum;
using PromptIntern.Data;
using PromptIntern.Modeling;
using PromptIntern.Prompts;

namespace PromptIntern.Training;

/// <summary>PromptIntern's progressive fine-tuning: trains the curriculum's stages in order, stage t on its own
/// training set starting from stage t-1's weights. Each stage checkpoints under <c>stage-N/</c>; a finished stage
/// leaves its weights in <c>stage-N/model</c> and a <c>done.json</c>, so an interrupted run resumes at the stage
/// (and, through <see cref="SupervisedFineTuner"/>, the step) where it stopped.</summary>
public static class ProgressiveTrainer
{
    public const string DoneFile = "done.json", ModelFolder = "model";

    /// <summary>Optimizer steps for <paramref name="epochs"/> passes over <paramref name="examples"/> examples.</summary>
    public static int StepsFor(int examples, double epochs, TrainOptions o) =>
        Math.Max(1, (int)Math.Ceiling(examples * epochs / (o.MicroBatchSize * o.GradientAccumulation)));

    /// <summary>Training pairs of a stage: the rendered prompt, and the answer (the fine-tuner appends EOS).</summary>
    public static IReadOnlyList<TrainingPair> Pairs(CurriculumStage stage) =>
        stage.Items.Select(i => new TrainingPair(PromptRenderer.ToText(i.Prompt), i.Answer.Trim())).ToList();

    /// <summary>Trains every stage of <paramref name="curriculum"/> into <paramref name="lm"/> (in place) and returns one summary per stage.
    /// <paramref name="baseOptions"/> gives everything but the step count, which each stage derives from its epochs.</summary>
    public static IReadOnlyList<StageSummary> Train(CausalLanguageModel lm, StagedCurriculum curriculum, TrainOptions baseOptions,
        string runDirectory, IProgress<(int Stage, TrainingProgress Progress)>? progress = null, CancellationToken cancel = default)
    {
        var summaries = new List<StageSummary>();
        var trainedHere = false;
        for (int s = 0; s < curriculum.Stages.Count; s++)
        {
            var stage = curriculum.Stages[s];
            var dir = Path.Combine(runDirectory, $"stage-{s + 1}");
            var done = Path.Combine(dir, DoneFile);
            if (File.Exists(done))
            {
                summaries.Add(JsonSerializer.Deserialize<StageSummary>(File.ReadAllText(done))!);
                continue;
            }
            // Resuming after finished stages: continue from the last finished stage's weights.
            if (s > 0 && summaries.Count == s && !Directory.Exists(Path.Combine(dir, TrainingLoop.CheckpointFolder)))
                LoadWeights(lm, Path.Combine(runDirectory, $"stage-{s}", ModelFolder));
            var pairs = Pairs(stage);
            var options = baseOptions with { MaxSteps = StepsFor(pairs.Count, stage.Epochs, baseOptions), Seed = baseOptions.Seed + s };
            var stageProgress = progress == null ? null : new StageProgress(s + 1, progress);
            var summary = SupervisedFineTuner.Train(lm, pairs, options, dir, stageProgress, cancel);
            trainedHere = true;
            lm.Save(Path.Combine(dir, ModelFolder));
            var record = new StageSummary(s + 1, stage.Name, pairs.Count, stage.Epochs, options.MaxSteps, summary.FinalLoss,
                summary.TokensPerSecond, summary.ElapsedSeconds, summary.Tokens);
            AtomicFile.WriteAllText(done, JsonSerializer.Serialize(record, new JsonSerializerOptions { WriteIndented = true }));
            summaries.Add(record);
        }
        // Every stage had finished in an earlier run: nothing above touched lm, so it still holds the base weights.
        if (curriculum.Stages.Count > 0 && !trainedHere)
            LoadWeights(lm, Path.Combine(runDirectory, $"stage-{curriculum.Stages.Count}", ModelFolder));
        return summaries;
    }

    /// <summary>Forwards a stage's progress synchronously (Progress&lt;T&gt; would post it to the thread pool, out of order).</summary>
    sealed class StageProgress(int stage, IProgress<(int, TrainingProgress)> inner) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => inner.Report((stage, value));
    }

    static void LoadWeights(CausalLanguageModel lm, string modelDir)
    {
        using var trained = CausalLanguageModel.Load(modelDir, lm.Device);
        lm.Model.load_state_dict(trained.Model.state_dict());
    }
}

/// <summary>What one finished stage of a progressive run reports.</summary>
public sealed record StageSummary(int Stage, string Name, int Examples, double Epochs, int Steps, double FinalLoss,
    double TokensPerSecond, double ElapsedSeconds, long Tokens);
