using TorchSharp;
using static TorchSharp.torch;

namespace PromptIntern.Modeling;

/// <summary>
/// Activation (gradient) checkpointing of the decoder layers, as torch.utils.checkpoint's reentrant variant does it per
/// block (TorchSharp 0.107 has no checkpoint utility, but has custom autograd functions): the forward runs the blocks
/// without recording, keeping only each block's input; the backward runs them again one by one, last first, with
/// recording on, and back-propagates through each, which also fills the blocks' weight gradients. Memory per block
/// drops from all its intermediate activations to its input, for one extra forward.
/// One function spans all blocks, because TorchSharp keeps a tensor the size of each function output alive until the
/// backward (to materialise missing gradients): per block that would be a second copy of every saved input.
/// The backward runs on autograd's device thread, outside any dispose scope of the caller, so every tensor it makes
/// is disposed here explicitly; left to the garbage collector, a 7B step would leave gigabytes behind.
/// </summary>
public sealed class ActivationCheckpoint : autograd.SingleTensorFunction<ActivationCheckpoint>
{
    public override string Name => nameof(ActivationCheckpoint);

    static readonly object Gate = new();
    static Tensor? _returned;

    /// <summary>blocks(x, ctx) in order, recomputed in the backward pass. <paramref name="x"/> must require grad (the stack makes sure).</summary>
    public static Tensor Run(IReadOnlyList<DecoderBlock> blocks, Tensor x, ForwardContext ctx) => apply(x, blocks, ctx.Detached());

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        var blocks = (IReadOnlyList<DecoderBlock>)vars[1];
        var fctx = (ForwardContext)vars[2];
        ctx.save_for_backward([x]);
        var inputs = new List<Tensor>(blocks.Count);
        using var scope = NewDisposeScope();
        var h = x;
        for (int i = 0; i < blocks.Count; i++)
        {
            if (i > 0) inputs.Add(h.detach().DetachFromDisposeScope());
            h = blocks[i].call(h, fctx);
        }
        ctx.save_data("blocks", blocks);
        ctx.save_data("ctx", fctx);
        ctx.save_data("inputs", inputs);
        return h.MoveToOuterDisposeScope();
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        ReleaseReturned();
        var blocks = (IReadOnlyList<DecoderBlock>)ctx.get_data("blocks");
        var fctx = (ForwardContext)ctx.get_data("ctx");
        var inputs = (List<Tensor>)ctx.get_data("inputs");
        using var first = ctx.get_saved_variables()[0];
        var grad = gradOutput;
        for (int i = blocks.Count - 1; i >= 0; i--)
        {
            var x = (i == 0 ? first : inputs[i - 1]).detach().requires_grad_(true);
            using (var _ = enable_grad())
            using (var y = blocks[i].call(x, fctx))
                y.backward([grad]);
            var next = x.grad ?? zeros_like(x);
            grad.Dispose(); // our wrapper only: autograd holds its own reference where it still needs one
            x.Dispose();
            if (i > 0) inputs[i - 1].Dispose();
            grad = next;
        }
        fctx.DisposeDetached();
        // The returned tensor must outlive this call (autograd copies it afterwards); the next backward disposes it.
        lock (Gate) _returned = grad;
        return [grad, null!, null!];
    }

    static void ReleaseReturned()
    {
        lock (Gate) { _returned?.Dispose(); _returned = null; }
    }
}
