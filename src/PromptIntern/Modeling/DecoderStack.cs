using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PromptIntern.Modeling;

/// <summary>Token embedding, the decoder layers and the final norm (Hugging Face's "model." prefix); returns hidden states.</summary>
public sealed class DecoderStack : nn.Module<Tensor, ForwardContext, Tensor>
{
#pragma warning disable IDE1006 // HF parameter names
    readonly Embedding embed_tokens;
    readonly ModuleList<DecoderBlock> layers;
    readonly RmsNorm norm;
#pragma warning restore IDE1006

    public DecoderStack(LlamaConfig c) : base("model")
    {
        var rope = new RotaryEmbedding(c.HeadDim, c.MaxSeqLen, c.RopeTheta, c.RopeScaling);
        embed_tokens = nn.Embedding(c.VocabSize, c.HiddenSize);
        layers = nn.ModuleList(Enumerable.Range(0, c.NumLayers).Select(i => new DecoderBlock(c, i, rope)).ToArray());
        norm = new RmsNorm(c.HiddenSize, c.RmsNormEps);
        RegisterComponents();
    }

    public Parameter EmbeddingWeight => embed_tokens.weight!;

    /// <summary>Recompute the blocks in the backward pass (<see cref="ActivationCheckpoint"/>) while training with grad on.</summary>
    public bool GradientCheckpointing { get; set; }

    public override Tensor forward(Tensor ids, ForwardContext ctx)
    {
        using var scope = NewDisposeScope();
        var h = embed_tokens.call(ids);
        bool recompute = GradientCheckpointing && training && is_grad_enabled();
        // A checkpointed block needs an input that requires grad, or its own weights get none (frozen embeddings under LoRA).
        if (recompute && !h.requires_grad) h.requires_grad_(true);
        if (recompute) h = ActivationCheckpoint.Run(layers.ToList(), h, ctx);
        else foreach (var layer in layers) h = layer.call(h, ctx);
        return norm.call(h).MoveToOuterDisposeScope();
    }
}
