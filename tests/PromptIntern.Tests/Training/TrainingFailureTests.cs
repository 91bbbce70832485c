using System.Text.Json;
using PromptIntern.Training;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static PromptIntern.Tests.Modeling.ModelingTestHelpers;
using static TorchSharp.torch;

namespace PromptIntern.Tests.Training;

public class TrainingFailureTests
{
    static readonly string[] Corpus = Enumerable.Range(0, 40).Select(i => $"echo {i} | wc -c; ls -la /tmp/dir{i % 7}").ToArray();

    static TrainOptions Small(int steps, double lr = 3e-3) => new()
    {
        MaxSteps = steps, MicroBatchSize = 2, GradientAccumulation = 1, MaxSeqLength = 24, WarmupSteps = 0,
        LearningRate = lr, LogInterval = 1, SaveInterval = 1, Seed = 7,
    };

    static int SavedStep(string run) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(run, TrainingLoop.CheckpointFolder, CheckpointSwitch.StateFile))).RootElement.GetProperty("step").GetInt32();

    [Fact]
    public void SafeAdamW_UpdatesExactlyAsTorchSharpsAdamW()
    {
        Tensor[] Run(Func<IEnumerable<AdamW.ParamGroup>, OptimizerHelper> create)
        {
            random.manual_seed(3);
            var ps = new[] { new Parameter(randn(4, 3)), new Parameter(randn(5)) };
            var opt = create([new AdamW.ParamGroup([ps[0]], 1e-2, 0.9, 0.95, 1e-8, 0.1, false, false), new AdamW.ParamGroup([ps[1]], 1e-2, 0.9, 0.95, 1e-8, 0.0, false, false)]);
            for (int step = 0; step < 5; step++)
            {
                opt.zero_grad();
                var loss = ps[0].pow(2).sum() + ps[1].sin().sum();
                loss.backward();
                opt.step();
            }
            return ps.Select(p => p.detach().clone()).ToArray();
        }
        var theirs = Run(g => optim.AdamW(g, 1e-2, 0.9, 0.95, 1e-8, 0.1));
        var ours = Run(g => new SafeAdamW(g, 1e-2, 0.9, 0.95, 1e-8, 0.1));
        for (int i = 0; i < ours.Length; i++) Assert.True(ours[i].allclose(theirs[i], rtol: 1e-6, atol: 1e-7), $"parameter {i} differs");
    }

    [Fact]
    public void Train_HugeLearningRate_StopsWithOneClearErrorAndAFiniteCheckpoint()
    {
        var run = TempDir();
        using var lm = MicroModel(seed: 5);
        var e = Assert.Throws<TrainingFailedException>(() => Pretrainer.Train(lm, Corpus, Small(8, lr: 1e30), run));
        Assert.Contains("diverged", e.Message);
        Assert.Contains("resumes", e.Message);
        Assert.DoesNotContain("\n", e.Message);
        Assert.True(SavedStep(run) >= 1);
        foreach (var line in File.ReadAllLines(Path.Combine(run, TrainingLoop.MetricsFile)))
            Assert.True(double.IsFinite(JsonDocument.Parse(line).RootElement.GetProperty("loss").GetDouble()));
    }

    [Fact]
    public void Resume_AfterACrashBetweenTheTwoMovesOfAnOldSwitch_RecoversTheMovedAsideCheckpoint()
    {
        var run = TempDir();
        using (var lm = MicroModel(seed: 5)) Pretrainer.Train(lm, Corpus, Small(3), run);
        var ckpt = Path.Combine(run, TrainingLoop.CheckpointFolder);
        // The crash: the checkpoint was renamed aside and the new one never moved in (a half-written staging folder remains).
        Directory.Move(ckpt, ckpt + ".old");
        Directory.CreateDirectory(ckpt + ".tmp");
        File.WriteAllText(Path.Combine(ckpt + ".tmp", "model.safetensors"), "half");

        using var resumed = MicroModel(seed: 99);
        var summary = Pretrainer.Train(resumed, Corpus, Small(5), run);

        Assert.Equal(3, summary.ResumedFromStep);
        Assert.Equal(5, SavedStep(run));
        Assert.Equal([TrainingLoop.CheckpointFolder, "logs", "train_config.json"],
            Directory.GetFileSystemEntries(run).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void CheckpointSwitch_WhileTheNewOneIsWritten_TheOldOneStaysWhole()
    {
        var dir = Path.Combine(TempDir(), "checkpoint");
        CheckpointSwitch.Write(dir, tmp => File.WriteAllText(Path.Combine(tmp, CheckpointSwitch.StateFile), "{\"step\": 1}"));
        Assert.Throws<IOException>(() => CheckpointSwitch.Write(dir, tmp =>
        {
            File.WriteAllText(Path.Combine(tmp, "model.safetensors"), "partial");
            throw new IOException("killed mid-save");
        }));
        Assert.False(CheckpointSwitch.Recover(dir));
        Assert.Equal(["trainer_state.json"], Directory.GetFiles(dir).Select(Path.GetFileName));
    }
}
