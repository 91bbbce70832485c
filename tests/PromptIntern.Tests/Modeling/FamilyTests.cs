using PromptIntern.Data;
using PromptIntern.Modeling;
using PromptIntern.Text;
using Xunit;
using static TorchSharp.torch;
using static PromptIntern.Tests.Modeling.ModelingTestHelpers;

namespace PromptIntern.Tests.Modeling;

/// <summary>The model families beyond plain Llama, built from config.json fields alone (parity with transformers is in Parity/).</summary>
public class FamilyTests
{
    static string Json(string modelType, string extra = "") =>
        "{\"model_type\": \"" + modelType + "\", \"vocab_size\": 260, \"hidden_size\": 32, \"intermediate_size\": 48, \"num_hidden_layers\": 2, " +
        "\"num_attention_heads\": 4, \"num_key_value_heads\": 2, \"max_position_embeddings\": 64" + extra + "}";

    public static TheoryData<string, string, string> Families => new()
    {
        { "llama", ", \"attention_bias\": true, \"mlp_bias\": true, \"head_dim\": 16", "model.layers.0.mlp.up_proj.bias" },
        { "mistral", ", \"sliding_window\": 4", "model.layers.1.self_attn.o_proj.weight" },
        { "qwen2", "", "model.layers.0.self_attn.k_proj.bias" },
        { "qwen3", ", \"head_dim\": 16, \"tie_word_embeddings\": true", "model.layers.0.self_attn.q_norm.weight" },
        { "mixtral", ", \"num_local_experts\": 3, \"num_experts_per_tok\": 2", "model.layers.1.block_sparse_moe.experts.2.w3.weight" },
        { "phi3", "", "model.layers.0.self_attn.qkv_proj.weight" },
    };

    [Theory]
    [MemberData(nameof(Families))]
    public void Family_BuildsWithHfNames_AndConfigCountsItsParameters(string type, string extra, string someTensor)
    {
        var config = LlamaConfig.FromJson(Json(type, extra));
        using var model = new LlamaModel(config);
        Assert.Contains(someTensor, HfCheckpoint.StateDict(model).Keys);
        Assert.Equal(config.ParameterCount(), model.ParameterCount());
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Family_CachedGreedyDecoding_MatchesFullForward(string type, string extra, string _)
    {
        var config = LlamaConfig.FromJson(Json(type, extra));
        using var model = new LlamaModel(config, seed: 2);
        model.eval();
        int[] prompt = [1, 17, 99, 4, 250, 31];
        var cached = TextGenerator.Generate(model, new ByteTokenizer(), [prompt], new GenerationOptions { MaxNewTokens = 12, Temperature = 0, StopAtEos = false })[0].Tokens;
        var ids = prompt.ToList();
        using var __ = no_grad();
        for (int i = 0; i < 12; i++)
        {
            using var scope = NewDisposeScope();
            var logits = model.call(tensor(ids.Select(x => (long)x).ToArray(), [1, ids.Count]));
            ids.Add((int)logits[0, -1].argmax().item<long>());
        }
        Assert.Equal(ids.Skip(prompt.Length), cached);
    }

    [Fact]
    public void SlidingWindow_WiderThanTheSequence_ChangesNothing_NarrowerDoes()
    {
        using var ids = randint(0, 260, [2, 12]);
        LlamaModel Build(string window) => new(LlamaConfig.FromJson(Json("mistral", window)), seed: 4);
        using var full = Build("");
        using var wide = Build(", \"sliding_window\": 12");
        using var narrow = Build(", \"sliding_window\": 3");
        using var _ = no_grad();
        var reference = full.call(ids);
        Assert.True(Same(reference, wide.call(ids)));
        Assert.True(MaxAbsDiff(reference, narrow.call(ids)) > 1e-3);
        // The first `window` positions see the same keys either way.
        Assert.True(MaxAbsDiff(reference.narrow(1, 0, 3), narrow.call(ids).narrow(1, 0, 3)) < 1e-6);
    }

    [Fact]
    public void Config_ReadsTransformers5RopeParameters_AndTheTransformers4Layout()
    {
        var v5 = LlamaConfig.FromJson(Json("llama", ", \"rope_parameters\": {\"rope_type\": \"llama3\", \"rope_theta\": 500000.0, \"factor\": 8.0, \"low_freq_factor\": 1.0, \"high_freq_factor\": 4.0, \"original_max_position_embeddings\": 8192}"));
        var v4 = LlamaConfig.FromJson(Json("llama", ", \"rope_theta\": 500000.0, \"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8.0, \"low_freq_factor\": 1.0, \"high_freq_factor\": 4.0, \"original_max_position_embeddings\": 8192}"));
        Assert.Equal(500000.0, v5.RopeTheta);
        Assert.Equal("llama3", v5.RopeScaling!.Type);
        Assert.Equal(v4.ToJson(), v5.ToJson());
        Assert.Equal(v4.ToJson(), LlamaConfig.FromJson(v4.ToJson()).ToJson());
    }

    [Fact]
    public void Config_Llama31EosList_TakesTheFirstId()
    {
        var c = LlamaConfig.FromJson(Json("llama", ", \"eos_token_id\": [128001, 128008, 128009], \"bos_token_id\": 128000"));
        Assert.Equal(128001, c.EosTokenId);
        Assert.Equal(128000, c.BosTokenId);
    }

    [Fact]
    public void Qwen2SlidingWindow_AppliesOnlyWhenEnabled_FromMaxWindowLayers()
    {
        Assert.Null(LlamaConfig.FromJson(Json("qwen2", ", \"sliding_window\": 4, \"use_sliding_window\": false")).WindowOf(1));
        var on = LlamaConfig.FromJson(Json("qwen2", ", \"sliding_window\": 4, \"use_sliding_window\": true, \"max_window_layers\": 1"));
        Assert.Equal([null, 4], new[] { on.WindowOf(0), on.WindowOf(1) });
        Assert.Throws<DataFormatException>(() => LlamaConfig.FromJson(Json("mistral", ", \"layer_types\": [\"full_attention\"]")));
    }

    [Fact]
    public void Llama3Scaling_KeepsHighFrequencies_DividesLowOnes()
    {
        var scaling = new RopeScaling { Type = "llama3", Factor = 8, LowFreqFactor = 1, HighFreqFactor = 4, OriginalMaxPositionEmbeddings = 8192 };
        using var plain = RopeScaling.InverseFrequencies(128, 500000, null);
        using var scaled = RopeScaling.InverseFrequencies(128, 500000, scaling);
        Assert.Equal(plain[0].item<float>(), scaled[0].item<float>());
        Assert.Equal(plain[-1].item<float>() / 8, scaled[-1].item<float>(), 1e-12);
    }
}
