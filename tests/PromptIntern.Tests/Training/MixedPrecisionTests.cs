using System.Text.Json;
using PromptIntern.Modeling;
using PromptIntern.Training;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static PromptIntern.Tests.Modeling.ModelingTestHelpers;
using static TorchSharp.torch;

namespace PromptIntern.Tests.Training;

public class MixedPrecisionTests
{
    static readonly string[] Corpus = Enumerable.Range(0, 40).Select(i => $"grep -r pattern{i} /var/log | head -{i % 5 + 1}").ToArray();

    [Fact]
    public void MasterWeightAdamW_WithoutMasters_MatchesTorchSharpAdamW()
    {
        var o = new TrainOptions { WeightDecay = 0.1, Beta1 = 0.9, Beta2 = 0.95 };
        var gen = new Generator(3);
        var init = new[] { randn([12, 8], generator: gen), randn([8], generator: gen) };
        var a = init.Select(t => new Parameter(t.clone())).ToList();
        var b = init.Select(t => new Parameter(t.clone())).ToList();
        using var ours = new MasterWeightAdamW(a, null, o);
        using var theirs = new TorchSharpAdamW(b, o);
        for (int step = 0; step < 4; step++)
        {
            var g = init.Select(t => randn(t.shape, generator: gen) * 3).ToArray(); // big enough for clipping to bite
            foreach (var (ps, opt) in new[] { (a, (ITrainingOptimizer)ours), (b, theirs) })
            {
                opt.ZeroGrad();
                ps.Select((p, i) => (p * g[i]).sum()).Aggregate((x, y) => x + y).backward();
                opt.Step(1e-2, 1.0);
            }
        }
        for (int i = 0; i < a.Count; i++) Assert.True(MaxAbsDiff(a[i], b[i]) < 1e-6, $"tensor {i}: {MaxAbsDiff(a[i], b[i])}");
        Assert.Equal("adamw-torchsharp", ours.Name);
    }

    [Fact]
    public void Bf16Mixed_ComputesInBf16_KeepsFp32Masters_AndResumesExactly()
    {
        var o = new TrainOptions
        {
            MaxSteps = 6, MicroBatchSize = 2, MaxSeqLength = 24, WarmupSteps = 1, LearningRate = 3e-3, LogInterval = 1, SaveInterval = 3,
            Seed = 7, Precision = "bf16-mixed",
        };
        List<double> Losses(string dir) => File.ReadAllLines(Path.Combine(dir, TrainingLoop.MetricsFile))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("loss").GetDouble()).ToList();
        var full = TempDir();
        using (var lm = MicroModel(seed: 5))
        {
            Pretrainer.Train(lm, Corpus, o, full);
            Assert.Equal(ScalarType.BFloat16, lm.Model.DType);
        }
        using (var f = File.OpenRead(Path.Combine(full, TrainingLoop.CheckpointFolder, "optimizer.safetensors")))
            Assert.True(f.Length > 0);
        var split = TempDir();
        var stop = new CancellationTokenSource();
        using (var lm = MicroModel(seed: 5)) // interrupted after step 4: the checkpoint of step 3 survives
            Assert.Throws<OperationCanceledException>(() => Pretrainer.Train(lm, Corpus, o, split, new StopAt(4, stop), stop.Token));
        using (var lm = MicroModel(seed: 99)) Pretrainer.Train(lm, Corpus, o, split); // masters and moments come from the checkpoint
        Assert.Equal(Losses(full), Losses(split));
    }

    sealed class StopAt(int step, CancellationTokenSource stop) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) { if (value.Step == step) stop.Cancel(); }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ActivationCheckpointing_GivesThePlainGradients(bool lora)
    {
        using var lm = MicroModel(seed: 2);
        if (lora) lm.AttachLora(new LoraConfig { R = 4, Alpha = 8, Dropout = 0, TargetModules = ["q_proj", "v_proj", "down_proj"] });
        var model = lm.Model;
        model.train();
        var ids = Ids([1, 5, 9, 3, 7, 2, 8, 4], [2, 6, 6, 1, 9, 9, 3, 5]);
        if (lora) using (no_grad()) foreach (var (name, p) in model.named_parameters()) if (name.Contains("lora_B")) p.normal_(0, 0.1);
        Tensor[] Grads(bool ckpt)
        {
            model.GradientCheckpointing = ckpt;
            model.zero_grad();
            model.Loss(ids, ids).backward();
            return model.parameters().Where(p => p.requires_grad).Select(p => p.grad!.clone()).ToArray();
        }
        var plain = Grads(false);
        var recomputed = Grads(true);
        Assert.NotEmpty(plain);
        for (int i = 0; i < plain.Length; i++)
        {
            Assert.True(plain[i].abs().sum().item<float>() > 0, $"gradient {i} is zero");
            Assert.True(MaxAbsDiff(plain[i], recomputed[i]) < 1e-6, $"gradient {i}: {MaxAbsDiff(plain[i], recomputed[i])}");
        }
    }
    /// <summary>On CUDA the backward pass runs on autograd's device thread, outside any dispose scope: the checkpoint's
    /// recomputation must dispose what it makes there, or every step leaves activations for the garbage collector.</summary>
    [Fact]
    public void ActivationCheckpointing_BackwardOutsideADisposeScope_LeavesNoTensorsBehind()
    {
        using var lm = MicroModel(seed: 4);
        lm.AttachLora(new LoraConfig { R = 4, Alpha = 8, Dropout = 0, TargetModules = ["q_proj", "v_proj"] });
        var model = lm.Model;
        model.train();
        model.GradientCheckpointing = true;
        var ids = Ids([1, 5, 9, 3, 7, 2, 8, 4], [2, 6, 6, 1, 9, 9, 3, 5]);
        long Outstanding()
        {
            var s = TorchSharp.DisposeScopeManager.Statistics.TensorStatistics;
            return s.CreatedOutsideScopeCount - s.DisposedOutsideScopeCount;
        }
        var counts = new List<long>();
        for (int step = 0; step < 3; step++)
        {
            using var scope = NewDisposeScope();
            var loss = model.Loss(ids, ids);
            // CPU autograd runs the backward on the calling thread: a thread without a dispose scope, as the device thread is.
            var worker = new Thread(() => { loss.backward(); counts.Add(Outstanding()); });
            worker.Start();
            worker.Join();
        }
        model.GradientCheckpointing = false;
        Assert.Equal(3, counts.Count);
        Assert.True(counts.All(c => c <= 1), $"tensors outstanding outside scopes after steps 1..3: {string.Join(", ", counts)}");
    }
    [Fact]
    public void CudaGraph_OnTheCpu_IsRefusedByItsOptionName()
    {
        using var lm = MicroModel(seed: 8);
        var o = new TrainOptions { MaxSteps = 2, MicroBatchSize = 2, MaxSeqLength = 16, LogInterval = 1, CudaGraph = true };
        var e = Assert.Throws<ArgumentException>(() => Pretrainer.Train(lm, Corpus, o, null));
        Assert.Contains("cuda_graph", e.Message);
        Assert.Contains("CUDA", e.Message);
    }
}
