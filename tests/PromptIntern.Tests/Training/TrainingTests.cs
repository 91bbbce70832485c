using System.Text.Json;
using PromptIntern.Modeling;
using PromptIntern.Text;
using PromptIntern.Training;
using Xunit;
using static PromptIntern.Tests.Modeling.ModelingTestHelpers;

namespace PromptIntern.Tests.Training;

public class TrainingTests
{
    static readonly string[] Corpus = Enumerable.Range(0, 40).Select(i => $"echo {i} | wc -c; ls -la /tmp/dir{i % 7}").ToArray();

    static TrainOptions Small(int steps) => new()
    {
        MaxSteps = steps, MicroBatchSize = 2, GradientAccumulation = 2, MaxSeqLength = 24, WarmupSteps = 2,
        LearningRate = 3e-3, LogInterval = 1, SaveInterval = 3, Seed = 7,
    };

    static List<double> Losses(string dir) => File.ReadAllLines(Path.Combine(dir, TrainingLoop.MetricsFile))
        .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("loss").GetDouble()).ToList();

    [Fact]
    public void Pretrain_ResumedRun_ReproducesUninterruptedLossCurveExactly()
    {
        var full = TempDir();
        using (var lm = MicroModel(seed: 5)) Pretrainer.Train(lm, Corpus, Small(8), full);

        // Interrupted after step 5: the checkpoint from step 3 survives, steps 4-5 are redone on resume.
        var split = TempDir();
        var stopper = new CancellationTokenSource();
        using (var lm = MicroModel(seed: 5))
            Assert.Throws<OperationCanceledException>(() => Pretrainer.Train(lm, Corpus, Small(8), split,
                new SyncProgress(p => { if (p.Step == 5) stopper.Cancel(); }), stopper.Token));
        using (var lm = MicroModel(seed: 99)) // different init: everything must come from the checkpoint
            Pretrainer.Train(lm, Corpus, Small(8), split);

        Assert.Equal(8, Losses(full).Count);
        Assert.Equal(Losses(full), Losses(split));
    }

    [Fact]
    public void Pretrain_Deterministic_GivesTheSameWeightsTwice_AndRestoresTheKernelSetting()
    {
        byte[] Run()
        {
            var dir = TempDir();
            using var lm = MicroModel(seed: 5);
            bool restrictedDuringRun = true;
            Pretrainer.Train(lm, Corpus, Small(4) with { Deterministic = true }, dir,
                new SyncProgress(_ => restrictedDuringRun &= DeterministicKernels.Enabled));
            Assert.True(restrictedDuringRun);
            Assert.Contains("\"deterministic\": true", File.ReadAllText(Path.Combine(dir, "train_config.json")));
            lm.Save(Path.Combine(dir, "model"));
            return File.ReadAllBytes(Path.Combine(dir, "model", "model.safetensors"));
        }
        Assert.Equal(Run(), Run());
        // The restriction lasts the run only: later work in the process (evaluation, generation) keeps the fast kernels.
        Assert.False(DeterministicKernels.Enabled);
    }

    [Fact]
    public void Deterministic_OnCuda_NeedsTheCublasWorkspaceSetting_BeforeTouchingTheDevice()
    {
        var saved = Environment.GetEnvironmentVariable(DeterministicKernels.CublasWorkspaceVariable);
        try
        {
            Environment.SetEnvironmentVariable(DeterministicKernels.CublasWorkspaceVariable, null);
            var e = Assert.Throws<InvalidOperationException>(() => DeterministicKernels.Enable(new TorchSharp.torch.Device(TorchSharp.DeviceType.CUDA)));
            Assert.Contains("CUBLAS_WORKSPACE_CONFIG=:4096:8", e.Message);
            Assert.False(DeterministicKernels.Enabled);
        }
        finally { Environment.SetEnvironmentVariable(DeterministicKernels.CublasWorkspaceVariable, saved); }
    }

    [Fact]
    public void Sft_LoraResume_ReproducesLossCurveExactly()
    {
        var pairs = Enumerable.Range(0, 12).Select(i => new TrainingPair($"list files {i}", $"ls -{(char)('a' + i)}")).ToList();
        var o = Small(6) with { Lora = new LoraConfig { R = 4, Dropout = 0.1 } };
        var full = TempDir();
        using (var lm = MicroModel()) SupervisedFineTuner.Train(lm, pairs, o, full);
        var split = TempDir();
        var stopper = new CancellationTokenSource();
        using (var lm = MicroModel())
            Assert.Throws<OperationCanceledException>(() => SupervisedFineTuner.Train(lm, pairs, o, split,
                new SyncProgress(p => { if (p.Step == 4) stopper.Cancel(); }), stopper.Token));
        using (var lm = MicroModel()) SupervisedFineTuner.Train(lm, pairs, o, split);
        Assert.Equal(Losses(full), Losses(split));
    }

    sealed class SyncProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }

    [Fact]
    public void SupervisedBatches_ScoreCompletionTokensOnly()
    {
        var tok = new ByteTokenizer();
        var data = new SupervisedBatches([new TrainingPair("abc", "xy"), new TrainingPair("hello", "z")], tok, 2, 64, 1);
        var b = data.Get(0, 0);
        var rows = Enumerable.Range(0, 2).Select(r => (Ids: b.Ids.Skip(r * b.Cols).Take(b.Cols).ToArray(), Labels: b.Labels.Skip(r * b.Cols).Take(b.Cols).ToArray())).ToList();
        var abc = rows.Single(r => r.Ids[1] == 'a');
        Assert.Equal(new long[] { -100, -100, -100, -100, 'x', 'y', tok.EosId }, abc.Labels[..7]);
        Assert.All(abc.Labels[7..], l => Assert.Equal(-100, l));
        Assert.Equal(tok.BosId, abc.Ids[0]);
        Assert.Equal(3 + 2, b.ScoredTokens); // "xy"+EOS and "z"+EOS
    }

    [Fact]
    public void SupervisedBatches_LongPromptLosesItsStartNotTheAnswer()
    {
        var tok = new ByteTokenizer();
        var data = new SupervisedBatches([new TrainingPair(new string('p', 50) + "QUERY", "answer")], tok, 1, 20, 1);
        var b = data.Get(0, 0);
        Assert.Equal(20, b.Cols);
        Assert.Equal("QUERYanswer", tok.Decode(b.Ids.Select(i => (int)i)).Replace("p", ""));
    }

    [Fact]
    public void Sft_FullFineTune_LearnsTheCompletions()
    {
        var pairs = new[] { new TrainingPair("Q: files?\nA:", " ls"), new TrainingPair("Q: where?\nA:", " pwd") };
        using var lm = MicroModel();
        var s = SupervisedFineTuner.Train(lm, pairs, new TrainOptions { MaxSteps = 50, MicroBatchSize = 2, MaxSeqLength = 24, LearningRate = 1e-2, WarmupSteps = 5, LogInterval = 10 });
        Assert.True(s.FinalLoss < 0.1, $"final loss {s.FinalLoss}");
        var outs = lm.Generate(pairs.Select(p => p.Prompt).ToList(), new GenerationOptions { MaxNewTokens = 8 });
        Assert.Equal(" ls", outs[0].Text);
        Assert.Equal(" pwd", outs[1].Text);
        Assert.Equal("eos", outs[0].FinishReason);
    }

    [Fact]
    public void LearningRate_WarmsUpThenDecaysToMinLr()
    {
        var o = new TrainOptions { MaxSteps = 100, WarmupSteps = 10, LearningRate = 1e-3 };
        Assert.True(o.LearningRateAt(0) < o.LearningRateAt(5));
        Assert.True(o.LearningRateAt(9) <= 1e-3);
        Assert.Equal(1e-3, o.LearningRateAt(10), 9);
        Assert.Equal(1e-4, o.LearningRateAt(100), 9);
        Assert.True(o.LearningRateAt(50) < o.LearningRateAt(20));
    }

    [Fact]
    public void BadOptions_AreClearErrors()
    {
        var e = Assert.Throws<ArgumentException>(() => new TrainOptions { Precision = "fp8" }.Validate());
        Assert.Contains("precision", e.Message);
        using var lm = MicroModel();
        var e2 = Assert.Throws<ArgumentException>(() => Pretrainer.Train(lm, ["tiny"], new TrainOptions { MaxSeqLength = 32 }, null));
        Assert.Contains("max_seq_length", e2.Message);
    }
}
