using TorchSharp;
using static TorchSharp.torch;

namespace PromptIntern.Training;

/// <summary>PyTorch's element-wise AdamW update of one tensor, its scalar operands made explicitly and held until libtorch
/// has used them (an implicit Scalar can be finalized mid-call: see <see cref="SafeAdamW"/>). Shared by the optimizers
/// that run the arithmetic tensor by tensor.</summary>
sealed class AdamWUpdate : IDisposable
{
    readonly double _learningRate, _beta1Value, _beta2Value;
    readonly Scalar _beta1, _oneMinusBeta1, _beta2, _oneMinusBeta2, _eps, _shrink;

    public AdamWUpdate(double learningRate, double beta1, double beta2, double eps, double weightDecay)
    {
        _learningRate = learningRate; _beta1Value = beta1; _beta2Value = beta2;
        _beta1 = beta1.ToScalar();
        _oneMinusBeta1 = (1 - beta1).ToScalar();
        _beta2 = beta2.ToScalar();
        _oneMinusBeta2 = (1 - beta2).ToScalar();
        _eps = eps.ToScalar();
        _shrink = (1 - learningRate * weightDecay).ToScalar();
    }

    /// <param name="step">The 1-based count of updates these moments have seen, this one included.</param>
    /// <param name="decay">Whether weight decay applies to this tensor.</param>
    public void Apply(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, long step, bool decay)
    {
        using var sqrtBiasCorrection2 = Math.Sqrt(1 - Math.Pow(_beta2Value, step)).ToScalar();
        using var minusStep = (-_learningRate / (1 - Math.Pow(_beta1Value, step))).ToScalar();
        if (decay) param.mul_(_shrink);
        expAvg.mul_(_beta1).add_(grad, alpha: _oneMinusBeta1);
        expAvgSq.mul_(_beta2).addcmul_(grad, grad, value: _oneMinusBeta2);
        using var denom = expAvgSq.sqrt();
        denom.div_(sqrtBiasCorrection2).add_(_eps);
        param.addcdiv_(expAvg, denom, value: minusStep);
    }

    public void Dispose()
    {
        foreach (var s in new[] { _beta1, _oneMinusBeta1, _beta2, _oneMinusBeta2, _eps, _shrink }) s.Dispose();
    }
}
