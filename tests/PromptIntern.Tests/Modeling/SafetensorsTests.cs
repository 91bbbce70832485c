using PromptIntern.Modeling;
using PromptIntern.Text;
using Xunit;
using static TorchSharp.torch;
using static PromptIntern.Tests.Modeling.ModelingTestHelpers;

namespace PromptIntern.Tests.Modeling;

public class SafetensorsTests
{
    [Fact]
    public void SaveLoad_RoundTripsF32Bf16F16ExactlyWithMetadata()
    {
        var path = Path.Combine(TempDir(), "t.safetensors");
        var src = new Dictionary<string, Tensor>
        {
            ["a.weight"] = randn(3, 5),
            ["b"] = randn(7).to(ScalarType.BFloat16),
            ["c"] = randn(2, 2).to(ScalarType.Float16),
            ["ids"] = tensor(new long[] { 1, -2, 3 }),
        };
        Safetensors.Save(path, src, new Dictionary<string, string> { ["format"] = "pt" });
        var back = Safetensors.Load(path);
        Assert.Equal(src.Keys.OrderBy(k => k), back.Keys.OrderBy(k => k));
        foreach (var (k, t) in src)
        {
            Assert.Equal(t.dtype, back[k].dtype);
            Assert.True(Same(t, back[k]), k);
        }
        Assert.Equal("pt", Safetensors.ReadHeader(path).Metadata["format"]);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(0, (int)BitConverter.ToUInt64(bytes, 0) % 8); // header padded to 8-byte alignment
    }

    [Fact]
    public void Load_TruncatedFile_NamesFileAndTensor()
    {
        var path = Path.Combine(TempDir(), "t.safetensors");
        Safetensors.Save(path, new Dictionary<string, Tensor> { ["w"] = randn(10, 10) });
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^16]);
        var e = Assert.Throws<InvalidDataException>(() => Safetensors.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("'w'", e.Message);
    }

    [Fact]
    public void Load_GarbageHeader_SaysCorrupt()
    {
        var path = Path.Combine(TempDir(), "bad.safetensors");
        File.WriteAllBytes(path, [5, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'x', 1, 2, 3]);
        var e = Assert.Throws<InvalidDataException>(() => Safetensors.Load(path));
        Assert.Contains("corrupt", e.Message);
    }

    [Fact]
    public void CheckpointDir_SaveThenLoad_GivesIdenticalLogits()
    {
        var dir = TempDir();
        using var lm = MicroModel(seed: 3);
        lm.Save(dir);
        Assert.True(File.Exists(Path.Combine(dir, "config.json")));
        using var back = CausalLanguageModel.Load(dir);
        using var ids = randint(0, 256, [2, 12]);
        using var _ = no_grad();
        Assert.True(Same(lm.Model.call(ids), back.Model.call(ids)));
    }

    [Fact]
    public void HfLayout_ShardedCheckpointWithInvFreq_Loads()
    {
        // A checkpoint as Hugging Face writes one: untied lm_head, two shards + index, legacy rotary inv_freq, bf16.
        var dir = TempDir();
        var cfg = LlamaConfig.Micro with { TieEmbeddings = false };
        var reference = new LlamaModel(cfg, seed: 9);
        var all = HfCheckpoint.StateDict(reference).ToDictionary(kv => kv.Key, kv => kv.Value.detach().to(ScalarType.BFloat16));
        all["model.layers.0.self_attn.rotary_emb.inv_freq"] = ones(8);
        var first = all.Where(kv => kv.Key.StartsWith("model.layers.0")).ToDictionary();
        var rest = all.Where(kv => !kv.Key.StartsWith("model.layers.0")).ToDictionary();
        Safetensors.Save(Path.Combine(dir, "model-00001-of-00002.safetensors"), first);
        Safetensors.Save(Path.Combine(dir, "model-00002-of-00002.safetensors"), rest);
        var map = all.Keys.ToDictionary(k => k, k => first.ContainsKey(k) ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors");
        File.WriteAllText(Path.Combine(dir, "model.safetensors.index.json"), System.Text.Json.JsonSerializer.Serialize(new { metadata = new { }, weight_map = map }));
        File.WriteAllText(Path.Combine(dir, "config.json"), cfg.ToJson().Replace("\"model_type\"", "\"hidden_act\": \"silu\", \"model_type\""));
        new ByteTokenizer().Save(dir);

        using var lm = CausalLanguageModel.Load(dir);
        var w = lm.Model.named_parameters().First(p => p.name == "lm_head.weight").parameter;
        Assert.True(Same(w, all["lm_head.weight"].to(ScalarType.Float32)));
    }

    [Fact]
    public void Load_MissingTensor_NamesIt()
    {
        var dir = TempDir();
        using var lm = MicroModel();
        var sd = HfCheckpoint.StateDict(lm.Model).Where(kv => kv.Key != "model.norm.weight").ToDictionary();
        Safetensors.Save(Path.Combine(dir, "model.safetensors"), sd);
        File.WriteAllText(Path.Combine(dir, "config.json"), lm.Config.ToJson());
        var e = Assert.Throws<InvalidDataException>(() => HfCheckpoint.Load(dir));
        Assert.Contains("model.norm.weight", e.Message);
    }

    [Fact]
    public void Load_ConfigMismatch_NamesFileTensorAndShapes()
    {
        var dir = TempDir();
        using var lm = MicroModel();
        lm.Save(dir);
        File.WriteAllText(Path.Combine(dir, "config.json"), (lm.Config with { IntermediateSize = 128 }).ToJson());
        var e = Assert.Throws<InvalidDataException>(() => HfCheckpoint.Load(dir));
        Assert.Contains("model.safetensors", e.Message);
        Assert.Contains("mlp.", e.Message);
        Assert.Contains("config.json implies", e.Message);
    }

    [Fact]
    public void Load_MissingDirectoryOrWeights_SaysWhatIsMissing()
    {
        Assert.Throws<DirectoryNotFoundException>(() => HfCheckpoint.Load("/nonexistent/model"));
        var dir = TempDir();
        File.WriteAllText(Path.Combine(dir, "config.json"), LlamaConfig.Micro.ToJson());
        var e = Assert.Throws<FileNotFoundException>(() => HfCheckpoint.Load(dir));
        Assert.Contains("model.safetensors", e.Message);
    }
}
