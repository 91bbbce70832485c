using TorchSharp;
using static TorchSharp.torch;

namespace PromptIntern.Modeling;

/// <summary>
/// Activation (gradient) checkpointing of one decoder block, as torch.utils.checkpoint's reentrant variant does it
/// (TorchSharp 0.107 has no checkpoint utility, but has custom autograd functions): the forward runs without
/// recording, keeping only the block's input; the backward runs the block again with recording on and back-propagates
/// the incoming gradient through it, which also fills the block's weight gradients. Memory per block drops from all
/// its intermediate activations to its input, for one extra forward.
/// </summary>
public sealed class ActivationCheckpoint : autograd.SingleTensorFunction<ActivationCheckpoint>
{
    public override string Name => nameof(ActivationCheckpoint);

    /// <summary>block(x, ctx), recomputed in the backward pass. <paramref name="x"/> must require grad (the stack makes sure).</summary>
    public static Tensor Run(DecoderBlock block, Tensor x, ForwardContext ctx) => apply(x, block, ctx.Detached());

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        ctx.save_for_backward([x]);
        ctx.save_data("block", vars[1]);
        ctx.save_data("ctx", vars[2]);
        return ((DecoderBlock)vars[1]).call(x, (ForwardContext)vars[2]);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var block = (DecoderBlock)ctx.get_data("block");
        var fctx = (ForwardContext)ctx.get_data("ctx");
        using var saved = ctx.get_saved_variables()[0];
        var x = saved.detach().requires_grad_(true);
        using (var _ = enable_grad())
        using (var y = block.call(x, fctx))
            y.backward([gradOutput]);
        return [x.grad ?? zeros_like(x), null!, null!];
    }
}
