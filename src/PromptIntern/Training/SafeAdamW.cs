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
        using var update = new AdamWUpdate(options.LearningRate!.Value, options.beta1!.Value, options.beta2!.Value,
            options.eps!.Value, options.weight_decay!.Value);
        foreach (var param in group.Parameters)
        {
            var grad = param.grad;
            if (grad is null) continue;
            var state = (State)_state[param.Handle];
            state.step += 1;
            update.Apply(param, grad, state.exp_avg, state.exp_avg_sq, state.step, decay: options.weight_decay!.Value != 0);
        }
    }, closure);
}
