using PromptIntern.Data;
using Xunit;
using PromptIntern.Modeling;
using static TorchSharp.torch;
using static PromptIntern.Tests.Modeling.ModelingTestHelpers;

namespace PromptIntern.Tests.Modeling;

public class LlamaModelTests
{
    [Fact]
    public void Forward_ReturnsLogitsPerPosition()
    {
        using var lm = MicroModel();
        using var scope = NewDisposeScope();
        var logits = lm.Model.call(randint(0, 256, [3, 17]));
        Assert.Equal(new long[] { 3, 17, lm.Config.VocabSize }, logits.shape);
        Assert.False(logits.isnan().any().item<bool>());
    }

    [Fact]
    public void ParameterNames_FollowHuggingFaceLlama()
    {
        var model = new LlamaModel(LlamaConfig.Micro with { TieEmbeddings = false });
        var names = HfCheckpoint.StateDict(model).Keys.ToHashSet();
        foreach (var n in new[] { "model.embed_tokens.weight", "model.layers.0.self_attn.q_proj.weight", "model.layers.1.self_attn.k_proj.weight",
                     "model.layers.0.self_attn.v_proj.weight", "model.layers.0.self_attn.o_proj.weight", "model.layers.0.mlp.gate_proj.weight",
                     "model.layers.0.mlp.up_proj.weight", "model.layers.0.mlp.down_proj.weight", "model.layers.0.input_layernorm.weight",
                     "model.layers.0.post_attention_layernorm.weight", "model.norm.weight", "lm_head.weight" })
            Assert.Contains(n, names);
        Assert.Equal(LlamaConfig.Micro.NumLayers * 9 + 3, names.Count);
    }

    [Theory]
    [InlineData("micro", 50_000, 200_000)]
    [InlineData("tiny", 2_000_000, 4_000_000)]
    [InlineData("nano", 20_000_000, 40_000_000)]
    [InlineData("smol135m", 130_000_000, 140_000_000)]
    public void Presets_HaveTheirAdvertisedSize(string name, long min, long max)
    {
        var count = LlamaConfig.Preset(name).ParameterCount();
        Assert.InRange(count, min, max);
    }

    [Fact]
    public void ParameterCount_MatchesBuiltModel()
    {
        var model = new LlamaModel(LlamaConfig.Micro);
        Assert.Equal(LlamaConfig.Micro.ParameterCount(), model.ParameterCount());
    }

    [Fact]
    public void ConfigJson_UsesHuggingFaceNames_AndRoundTrips()
    {
        var json = LlamaConfig.Nano.ToJson();
        Assert.Contains("\"hidden_size\": 512", json);
        Assert.Contains("\"num_key_value_heads\": 4", json);
        Assert.Equal(json, LlamaConfig.FromJson(json).ToJson());
    }

    [Fact]
    public void Config_BadShape_NamesTheField()
    {
        var e = Assert.Throws<DataFormatException>(() => LlamaConfig.FromJson("{\"hidden_size\": 64, \"num_attention_heads\": 4, \"num_key_value_heads\": 3}", "x/config.json"));
        Assert.Contains("x/config.json", e.Message);
        Assert.Contains("num_key_value_heads", e.Message);
    }

    [Theory]
    [InlineData("\"rope_scaling\": {\"type\": \"yarn\", \"factor\": 4}", "rope_scaling.rope_type")]
    [InlineData("\"rope_parameters\": {\"rope_type\": \"longrope\", \"rope_theta\": 10000}", "rope_parameters.rope_type")]
    [InlineData("\"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8}", "rope_scaling.low_freq_factor")]
    [InlineData("\"rope_scaling\": {\"type\": \"linear\", \"factor\": 2, \"beta_fast\": 32}", "rope_scaling.beta_fast")]
    [InlineData("\"hidden_act\": \"gelu\"", "hidden_act")]
    [InlineData("\"model_type\": \"gpt2\"", "model_type")]
    [InlineData("\"model_type\": \"gemma2\"", "model_type")]
    [InlineData("\"partial_rotary_factor\": 0.5", "partial_rotary_factor")]
    [InlineData("\"quantization_config\": {\"quant_method\": \"gptq\"}", "quantization_config")]
    [InlineData("\"model_type\": \"mixtral\"", "num_local_experts")]
    public void Config_UnsupportedHfFeature_IsRejectedByName(string field, string name)
    {
        var e = Assert.Throws<DataFormatException>(() => LlamaConfig.FromJson("{\"hidden_size\": 64, \"num_attention_heads\": 4, " + field + "}", "c.json"));
        Assert.Contains($"'{name}'", e.Message);
    }

    [Fact]
    public void MicroModel_OverfitsATinyBatch()
    {
        using var lm = MicroModel();
        var ids = tensor(Enumerable.Range(0, 2 * 24).Select(i => (long)("the cat sat on the mat. "[i % 24])).ToArray(), [2, 24]);
        var opt = optim.AdamW(lm.Model.parameters(), 3e-3);
        float first = 0, last = 0;
        for (int step = 0; step < 60; step++)
        {
            using var scope = NewDisposeScope();
            opt.zero_grad();
            var loss = lm.Model.Loss(ids, ids);
            loss.backward();
            opt.step();
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
        }
        Assert.True(last < 0.3f * first, $"loss {first} -> {last}");
    }

    [Fact]
    public void Loss_IsTheMeanNextTokenCrossEntropy_OverLabelledPositions_WithGradients()
    {
        var model = new LlamaModel(LlamaConfig.Micro, seed: 6);
        var ids = Ids([5, 9, 2, 7, 1, 3], [8, 8, 4, 6, 2, 9]);
        var labels = Ids([-100, -100, 2, 7, 1, 3], [-100, 8, 4, -100, 2, 9]);
        var loss = model.Loss(ids, labels);
        loss.backward();
        var grads = model.parameters().Select(p => p.grad!.clone()).ToArray();
        model.zero_grad();
        // The textbook form: position t's logits against label t+1, unlabelled positions left out of the mean.
        var logits = model.call(ids);
        var logp = nn.functional.log_softmax(logits.narrow(1, 0, 5), -1);
        var terms = new List<Tensor>();
        for (int r = 0; r < 2; r++)
            for (int t = 0; t < 5; t++)
            {
                var label = labels[r, t + 1].item<long>();
                if (label != LlamaModel.IgnoreIndex) terms.Add(-logp[r, t, label]);
            }
        var reference = stack(terms).mean();
        reference.backward();
        Assert.True(Math.Abs(loss.item<float>() - reference.item<float>()) < 1e-5, $"{loss.item<float>()} vs {reference.item<float>()}");
        var refGrads = model.parameters().Select(p => p.grad!).ToArray();
        for (int i = 0; i < grads.Length; i++) Assert.True(MaxAbsDiff(grads[i], refGrads[i]) < 1e-5, $"gradient {i}: {MaxAbsDiff(grads[i], refGrads[i])}");
    }

    [Fact]
    public void RepeatedForwardPasses_KeepLiveTensorCountFlat()
    {
        using var lm = MicroModel();
        using var ids = randint(0, 256, [2, 16]);
        void Step() { using var s = NewDisposeScope(); using var _ = no_grad(); lm.Model.call(ids); }
        Step();
        var before = TorchSharp.DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;
        for (int i = 0; i < 5; i++) Step();
        Assert.Equal(before, TorchSharp.DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount);
    }
}

public class LlamaModelSeedTests
{
    [Fact]
    public void SameSeed_GivesSameWeights_OtherSeedDiffers()
    {
        var a = HfCheckpoint.StateDict(new LlamaModel(LlamaConfig.Micro, seed: 1));
        var b = HfCheckpoint.StateDict(new LlamaModel(LlamaConfig.Micro, seed: 1));
        var c = HfCheckpoint.StateDict(new LlamaModel(LlamaConfig.Micro, seed: 2));
        Assert.All(a.Keys, k => Assert.True(Same(a[k], b[k]), k));
        Assert.False(Same(a["model.embed_tokens.weight"], c["model.embed_tokens.weight"]));
    }
}
