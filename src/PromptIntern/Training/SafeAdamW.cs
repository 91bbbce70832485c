using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PromptIntern.Training;

/// <summary>TorchSharp's AdamW step with every scalar operand created explicitly and kept alive until libtorch has used it.
/// TorchSharp's own step passes doubles through the implicit double-to-<see cref="Scalar"/> conversion: the temporary
/// Scalar is unreachable once its native handle has been read, so a garbage collection triggered by another thread during
/// the native call can run its finalizer and free the at::Scalar while libtorch is reading it. The freed memory's first
/// word (the Scalar's type tag) is then garbage and libtorch aborts the process with "Expected false to be true" in
/// Scalar::toFloat (c10/core/Scalar.h) - the rare crash under load. Same maths, same state and checkpoint format.</summary>
public sealed class SafeAdamW : AdamW
{
    public SafeAdamW(IEnumerable<ParamGroup> groups, double lr, double beta1, double beta2, double eps, double weightDecay)
        : base(groups, lr, beta1, beta2, eps, weightDecay, amsgrad: false, maximize: false) { }

    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = (Options)group.Options;
        double beta1 = options.beta1!.Value, beta2 = options.beta2!.Value, eps = options.eps!.Value;
        double lr = options.LearningRate!.Value, decay = options.weight_decay!.Value;
        using var keep1 = beta1.ToScalar();
        using var oneMinusBeta1 = (1 - beta1).ToScalar();
        using var keep2 = beta2.ToScalar();
        using var oneMinusBeta2 = (1 - beta2).ToScalar();
        using var epsilon = eps.ToScalar();
        using var shrink = (1 - lr * decay).ToScalar();
        foreach (var param in group.Parameters)
        {
            var state = (State)_state[param.Handle];
            var grad = param.grad;
            if (grad is null) continue;
            state.step += 1;
            double biasCorrection1 = 1 - Math.Pow(beta1, state.step);
            double biasCorrection2 = 1 - Math.Pow(beta2, state.step);
            using var sqrtCorrection2 = Math.Sqrt(biasCorrection2).ToScalar();
            using var minusStep = (-lr / biasCorrection1).ToScalar();

            param.mul_(shrink);
            state.exp_avg.mul_(keep1).add_(grad, alpha: oneMinusBeta1);
            state.exp_avg_sq.mul_(keep2).addcmul_(grad, grad, value: oneMinusBeta2);
            using var denom = state.exp_avg_sq.sqrt();
            denom.div_(sqrtCorrection2).add_(epsilon);
            param.addcdiv_(state.exp_avg, denom, value: minusStep);
        }
    }, closure);
}
