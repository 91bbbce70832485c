using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PromptIntern.Training;

/// <summary>TorchSharp's AdamW (as <see cref="SafeAdamW"/>) with weight decay on matrices only (nanoGPT: norms' 1-D weights
/// are not decayed) and its clip_grad_norm_, which reads the norm on the host: a non-finite one stops the step before it
/// reaches the weights. The CPU path; its checkpoint is TorchSharp's optimizer.bin.</summary>
public sealed class TorchSharpAdamW : ITrainingOptimizer
{
    const string StateFile = "optimizer.bin";
    readonly List<Parameter> _parameters;
    readonly SafeAdamW _optimizer;

    public TorchSharpAdamW(List<Parameter> parameters, TrainOptions o)
    {
        _parameters = parameters;
        var groups = new[] { parameters.Where(p => p.dim() >= 2).ToList(), parameters.Where(p => p.dim() < 2).ToList() }
            .Select((ps, i) => (ps, decay: i == 0 ? o.WeightDecay : 0.0))
            .Where(g => g.ps.Count > 0)
            .Select(g => new AdamW.ParamGroup(g.ps, o.LearningRate, o.Beta1, o.Beta2, 1e-8, g.decay, false, false));
        _optimizer = new SafeAdamW(groups, o.LearningRate, o.Beta1, o.Beta2, 1e-8, o.WeightDecay);
    }

    public string Name => "torchsharp-adamw";

    public void ZeroGrad() => _optimizer.zero_grad();

    public void Step(double learningRate, double maxNorm)
    {
        foreach (var g in _optimizer.ParamGroups) g.LearningRate = learningRate;
        if (maxNorm > 0 && nn.utils.clip_grad_norm_(_parameters, maxNorm) is var norm && !double.IsFinite(norm))
            throw new GradientNotFiniteException(norm);
        _optimizer.step();
    }

    public void Save(string checkpointDir) => _optimizer.save_state_dict(Path.Combine(checkpointDir, StateFile));
    public void Load(string checkpointDir) => _optimizer.load_state_dict(Path.Combine(checkpointDir, StateFile));
    public void Dispose() => _optimizer.Dispose();
}
