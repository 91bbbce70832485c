using PromptIntern.Modeling;
using PromptIntern.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PromptIntern.Training;

/// <summary>
/// AdamW (PyTorch's formula, decay on matrices only) that never reads a value on the host. With master weights
/// (precision bf16-mixed) the model computes in bf16 while fp32 masters, their gradients and the AdamW moments live
/// here: bf16 grads → fp32 → clip → update the masters → copy back to the bf16 weights. This is the apex "O2" /
/// Megatron layout, chosen over casting fp32 weights per forward (TorchSharp 0.107 has no autocast): one extra copy
/// per step instead of a cast per matmul per forward and backward. Without masters it updates the weights in place
/// (fp32, or pure bf16 whose moments are bf16 too).
/// On CUDA with the native extension every stage is one multi-tensor launch (libtorch's fused AdamW); elsewhere the
/// same arithmetic runs tensor by tensor in TorchSharp.
/// </summary>
public sealed class MasterWeightAdamW : ITrainingOptimizer
{
    const string StateFile = "optimizer.safetensors";
    const double Eps = 1e-8;
    readonly List<Parameter> _parameters;
    readonly List<Tensor> _masters, _masterGrads, _expAvg, _expAvgSq, _steps;
    readonly bool _separate, _native;
    readonly int[] _decayed, _undecayed;
    readonly double _beta1, _beta2, _weightDecay;
    int _step;

    /// <param name="parameters">The trainable weights the model computes with.</param>
    /// <param name="masters">fp32 copies of them taken before the model was cast to bf16, or null to update the weights themselves.</param>
    /// <param name="forceEager">Run the TorchSharp arithmetic even where the native extension applies (its parity check).</param>
    public MasterWeightAdamW(List<Parameter> parameters, IReadOnlyList<Tensor>? masters, TrainOptions o, bool forceEager = false)
    {
        if (masters is not null && masters.Count != parameters.Count) throw new ArgumentException($"{masters.Count} master weights for {parameters.Count} parameters.");
        _parameters = parameters;
        _separate = masters is not null;
        _native = !forceEager && NativeExtension.UsableOn(parameters[0].device);
        _beta1 = o.Beta1; _beta2 = o.Beta2; _weightDecay = o.WeightDecay;
        using var _ = no_grad();
        _masters = _separate ? masters!.Select(m => m.to(ScalarType.Float32, parameters[0].device).DetachFromDisposeScope()).ToList() : [.. parameters];
        _masterGrads = _separate ? _masters.Select(m => zeros_like(m).DetachFromDisposeScope()).ToList() : [];
        _expAvg = _masters.Select(m => zeros_like(m).DetachFromDisposeScope()).ToList();
        _expAvgSq = _masters.Select(m => zeros_like(m).DetachFromDisposeScope()).ToList();
        _steps = _masters.Select(m => zeros([], ScalarType.Float32, m.device).DetachFromDisposeScope()).ToList();
        _decayed = Enumerable.Range(0, parameters.Count).Where(i => parameters[i].dim() >= 2).ToArray();
        _undecayed = Enumerable.Range(0, parameters.Count).Where(i => parameters[i].dim() < 2).ToArray();
    }

    public string Name => (_separate ? "adamw-fp32-master" : "adamw") + (_native ? "-fused-native" : "-torchsharp");

    public void ZeroGrad()
    {
        using var _ = no_grad();
        foreach (var p in _parameters) p.grad?.zero_();
    }

    public void Step(double learningRate, double maxNorm)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var grads = _parameters.Select(p => p.grad ?? zeros_like(p)).ToList();
        if (_native) NativeStep(grads, learningRate, null, maxNorm);
        else EagerStep(grads, learningRate, maxNorm);
    }

    /// <summary>Whether <see cref="Step(Tensor, double)"/> works here (the native path with a tensor learning rate).</summary>
    public bool SupportsLearningRateTensor => _native && NativeExtension.HasFusedAdamWLrTensor;

    /// <summary>A step whose learning rate is read on the device from <paramref name="learningRate"/> (0-d float32), so that a
    /// captured CUDA graph of it follows the schedule (<see cref="CudaGraphStep"/>).</summary>
    public void Step(Tensor learningRate, double maxNorm)
    {
        if (!SupportsLearningRateTensor) throw new InvalidOperationException($"{Name}: a tensor learning rate needs the native fused AdamW (native: {NativeExtension.Status})");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        NativeStep(_parameters.Select(p => p.grad ?? zeros_like(p)).ToList(), 0, learningRate, maxNorm);
    }

    void NativeStep(List<Tensor> grads, double lr, Tensor? lrTensor, double maxNorm)
    {
        var g = grads;
        if (_separate) { NativeExtension.ForeachCopy(_masterGrads, grads); g = _masterGrads; }
        if (maxNorm > 0) NativeExtension.ClipGradNorm(g, maxNorm);
        foreach (var (idx, decay) in new[] { (_decayed, _weightDecay), (_undecayed, 0.0) })
        {
            if (idx.Length == 0) continue;
            List<Tensor> Pick(List<Tensor> ts) => idx.Select(i => ts[i]).ToList();
            if (lrTensor is null) NativeExtension.FusedAdamW(Pick(_masters), Pick(g), Pick(_expAvg), Pick(_expAvgSq), Pick(_steps), lr, _beta1, _beta2, decay, Eps);
            else NativeExtension.FusedAdamW(Pick(_masters), Pick(g), Pick(_expAvg), Pick(_expAvgSq), Pick(_steps), lrTensor, _beta1, _beta2, decay, Eps);
        }
        if (_separate) NativeExtension.ForeachCopy(_parameters.Cast<Tensor>().ToList(), _masters);
        _step++;
    }

    void EagerStep(List<Tensor> grads, double lr, double maxNorm)
    {
        var g = _separate ? grads.Select((x, i) => _masterGrads[i].copy_(x)).ToList() : grads;
        if (maxNorm > 0)
        {
            // clip_grad_norm_'s arithmetic, kept on the device.
            var total = stack(g.Select(x => x.to(ScalarType.Float32).norm()).ToArray()).norm();
            var coef = (maxNorm / (total + 1e-6)).clamp_max(1.0);
            foreach (var x in g) x.mul_(coef.to(x.dtype));
        }
        _step++;
        using var update = new AdamWUpdate(lr, _beta1, _beta2, Eps, _weightDecay);
        using var one = 1.ToScalar();
        for (int i = 0; i < _masters.Count; i++)
        {
            _steps[i].add_(one);
            update.Apply(_masters[i], g[i], _expAvg[i], _expAvgSq[i], _step, decay: _parameters[i].dim() >= 2 && _weightDecay != 0);
            if (_separate) _parameters[i].copy_(_masters[i]);
        }
    }

    public void Save(string checkpointDir)
    {
        var state = new Dictionary<string, Tensor>();
        for (int i = 0; i < _masters.Count; i++)
        {
            if (_separate) state[$"master.{i}"] = _masters[i];
            state[$"exp_avg.{i}"] = _expAvg[i];
            state[$"exp_avg_sq.{i}"] = _expAvgSq[i];
        }
        // The native path counts steps on the device (a replayed graph never passes through the host counter).
        var step = _native ? (int)Math.Round(_steps[0].item<float>()) : _step;
        Safetensors.Save(Path.Combine(checkpointDir, StateFile), state, new Dictionary<string, string> { ["step"] = step.ToString(System.Globalization.CultureInfo.InvariantCulture) });
    }

    public void Load(string checkpointDir)
    {
        var file = Path.Combine(checkpointDir, StateFile);
        if (!File.Exists(file)) throw new InvalidDataException($"{file}: missing (was the checkpoint written by another optimizer or precision?).");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var saved = Safetensors.Load(file);
        Tensor Get(string name, Tensor like) => saved.TryGetValue(name, out var t) && t.shape.SequenceEqual(like.shape)
            ? t : throw new InvalidDataException($"{file}: tensor '{name}' missing or of another shape.");
        for (int i = 0; i < _masters.Count; i++)
        {
            if (_separate) _masters[i].copy_(Get($"master.{i}", _masters[i]));
            _expAvg[i].copy_(Get($"exp_avg.{i}", _expAvg[i]));
            _expAvgSq[i].copy_(Get($"exp_avg_sq.{i}", _expAvgSq[i]));
            if (_separate) _parameters[i].copy_(_masters[i]);
        }
        _step = Safetensors.ReadHeader(file).Metadata.TryGetValue("step", out var s) ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)
            : throw new InvalidDataException($"{file}: no 'step' in its metadata.");
        foreach (var t in _steps) t.fill_(_step);
    }

    public void Dispose()
    {
        foreach (var t in _masterGrads.Concat(_expAvg).Concat(_expAvgSq).Concat(_steps)) t.Dispose();
        if (_separate) foreach (var t in _masters) t.Dispose();
    }
}
