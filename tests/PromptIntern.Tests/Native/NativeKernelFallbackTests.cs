using PromptIntern.Modeling;
using PromptIntern.Native;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static PromptIntern.Tests.Modeling.ModelingTestHelpers;
using static TorchSharp.torch;

namespace PromptIntern.Tests.Native;

/// <summary>The native SwiGLU, RoPE and cross-entropy kernels apply only to CUDA tensors: on CPU the modules run their eager forms,
/// with the same numbers as the formulas written out (the GPU side is native/test/native_test.cpp and `bench native`).</summary>
public class NativeKernelFallbackTests
{
    static LlamaConfig Config => LlamaConfig.FromJson("{\"model_type\": \"llama\", \"vocab_size\": 64, \"hidden_size\": 32, \"intermediate_size\": 37, " +
        "\"num_hidden_layers\": 1, \"num_attention_heads\": 4, \"num_key_value_heads\": 2, \"max_position_embeddings\": 32}");

    [Fact]
    public void Kernels_DoNotApply_ToCpuTensors()
    {
        using var x = randn([2, 3, 8]);
        Assert.False(NativeExtension.HasSwiglu(x));
        Assert.False(NativeExtension.HasRopeQkv(x));
        Assert.False(NativeExtension.HasCrossEntropy(x));
    }

    [Fact]
    public void Mlp_OnCpu_IsSiluOfGateTimesUp_Bitwise()
    {
        using var model = new LlamaModel(Config, seed: 4);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var mlp = (Mlp)model.named_modules().First(m => m.name == "model.layers.0.mlp").module;
        var p = mlp.named_parameters().ToDictionary(n => n.name, n => n.parameter);
        var x = randn([2, 5, 32], generator: new Generator(2));
        var gateUp = nn.functional.linear(x, p["gate_up_proj.weight"]);
        var expected = nn.functional.linear(nn.functional.silu(gateUp.narrow(-1, 0, 37)) * gateUp.narrow(-1, 37, 37), p["down_proj.weight"]);
        Assert.True(Same(mlp.call(x), expected));
    }

    [Fact]
    public void Rotate_OnCpu_IsRotateHalf_OfTheTableRows()
    {
        using var scope = NewDisposeScope();
        var rope = new RotaryEmbedding(8, 16, 10000.0);
        var x = randn([2, 5, 3, 8], generator: new Generator(3));
        var positions = tensor(new long[] { 0, 1, 2, 3, 4, 2, 3, 4, 5, 6 }).view(2, 5);
        foreach (int? start in new int?[] { null, 4 })
        {
            var (cos, sin) = rope.Rows(CPU, ScalarType.Float32, positions, start, 5);
            Assert.Equal(start is null ? new long[] { 2, 5, 8 } : [5, 8], cos.shape);
            var c = start is null ? cos.unsqueeze(2) : cos.unsqueeze(1);
            var s = start is null ? sin.unsqueeze(2) : sin.unsqueeze(1);
            var half = cat([-x.narrow(-1, 4, 4), x.narrow(-1, 0, 4)], -1);
            Assert.True(Same(rope.Rotate(x, positions, start), x * c + half * s));
        }
    }
}
