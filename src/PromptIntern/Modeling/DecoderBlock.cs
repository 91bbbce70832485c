using static TorchSharp.torch;

namespace PromptIntern.Modeling;

/// <summary>One pre-norm decoder layer: x + attn(norm(x)), then + mlp(norm(x)) (a sparse mixture of experts for Mixtral).</summary>
public sealed class DecoderBlock : nn.Module<Tensor, ForwardContext, Tensor>
{
#pragma warning disable IDE1006 // HF parameter names
    readonly RmsNorm input_layernorm, post_attention_layernorm;
    readonly Attention self_attn;
    readonly Mlp? mlp;
    readonly SparseMoe? block_sparse_moe;
#pragma warning restore IDE1006

    public DecoderBlock(LlamaConfig c, int layerIndex, RotaryEmbedding rope) : base(nameof(DecoderBlock))
    {
        input_layernorm = new RmsNorm(c.HiddenSize, c.RmsNormEps);
        self_attn = new Attention(c, layerIndex, rope);
        post_attention_layernorm = new RmsNorm(c.HiddenSize, c.RmsNormEps);
        if (c.IsMoe) block_sparse_moe = new SparseMoe(c);
        else mlp = new Mlp(c);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, ForwardContext ctx)
    {
        using var scope = NewDisposeScope();
        var h = x + self_attn.call(input_layernorm.call(x), ctx);
        var normed = post_attention_layernorm.call(h);
        return (h + (mlp is not null ? mlp.call(normed) : block_sparse_moe!.call(normed))).MoveToOuterDisposeScope();
    }
}
