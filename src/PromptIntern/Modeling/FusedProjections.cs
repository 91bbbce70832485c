using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PromptIntern.Modeling;

/// <summary>
/// Every family computes q/k/v as one qkv_proj and gate/up as one gate_up_proj: one GEMM (and one weight-gradient GEMM)
/// instead of three or two, in training and decoding. Checkpoints and adapters keep each family's Hugging Face names:
/// Llama-style q_proj/k_proj/v_proj and gate_proj/up_proj are row slices (views) of the fused weights, so loading writes
/// into the fused weight and saving reads the slices; Phi-3 stores the fused layout under its own names.
/// </summary>
public static class FusedProjections
{
    public const string Qkv = "qkv_proj", GateUp = "gate_up_proj";

    /// <summary>The Hugging Face modules a fused module holds, in row order (leaf name, rows), or null where the family
    /// names the fused module itself (Phi-3) or <paramref name="leaf"/> is not fused.</summary>
    public static (string Leaf, long Rows)[]? Parts(LlamaConfig c, string leaf)
    {
        if (c.FusedProjections) return null;
        long q = (long)c.NumHeads * c.HeadDim, kv = (long)c.NumKvHeads * c.HeadDim;
        return leaf switch
        {
            Qkv => [("q_proj", q), ("k_proj", kv), ("v_proj", kv)],
            GateUp => [("gate_proj", c.IntermediateSize), ("up_proj", c.IntermediateSize)],
            _ => null,
        };
    }

    /// <summary>The model's parameters under Hugging Face names: a fused weight or bias becomes its parts' row views
    /// (created in the caller's dispose scope); everything else is the parameter itself.</summary>
    public static List<(string Name, Tensor Tensor)> HfNamed(LlamaModel model)
    {
        var result = new List<(string, Tensor)>();
        foreach (var (name, p) in model.named_parameters())
        {
            var (prefix, leaf, kind) = Split(name);
            if (leaf is null || Parts(model.Config, leaf) is not { } parts) { result.Add((name, p)); continue; }
            long offset = 0;
            foreach (var (part, rows) in parts)
            {
                result.Add(($"{prefix}.{part}.{kind}", p.narrow(0, offset, rows)));
                offset += rows;
            }
        }
        return result;
    }

    /// <summary>A linear layer under its Hugging Face module name: the module that computes it and the rows of its output
    /// that are this layer's (all rows unless <paramref name="IsPart"/>).</summary>
    public sealed record Layer(string Name, Linear Module, long Offset, long Rows, bool IsPart);

    /// <summary>Every linear layer of the model under Hugging Face module names (lm_head included; adapters' own excluded).</summary>
    public static List<Layer> LinearLayers(LlamaModel model)
    {
        var result = new List<Layer>();
        foreach (var (name, module) in model.named_modules())
        {
            if (module is not Linear lin || LoraAdapter.IsAdapterModule(name)) continue;
            var cut = name.LastIndexOf('.');
            var leaf = name[(cut + 1)..];
            if (Parts(model.Config, leaf) is not { } parts) { result.Add(new Layer(name, lin, 0, lin.weight!.shape[0], false)); continue; }
            long offset = 0;
            foreach (var (part, rows) in parts)
            {
                result.Add(new Layer(cut < 0 ? part : $"{name[..cut]}.{part}", lin, offset, rows, true));
                offset += rows;
            }
        }
        return result;
    }

    static (string Prefix, string? Leaf, string Kind) Split(string parameterName)
    {
        var parts = parameterName.Split('.');
        return parts.Length < 3 ? ("", null, "") : (string.Join('.', parts[..^2]), parts[^2], parts[^1]);
    }
}
