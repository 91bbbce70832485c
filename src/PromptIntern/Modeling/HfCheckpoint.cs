using TorchSharp;
using System.Text.Json.Nodes;
using PromptIntern.Data;
using static TorchSharp.torch;

namespace PromptIntern.Modeling;

/// <summary>Hugging Face checkpoint directories: config.json + model.safetensors (or a sharded model.safetensors.index.json), with HF tensor names.</summary>
public static class HfCheckpoint
{
    public const string ConfigFile = "config.json";
    public const string WeightsFile = "model.safetensors";
    public const string IndexFile = "model.safetensors.index.json";

    /// <summary>The model's weights under Hugging Face names (the tied lm_head is not repeated); parts of a fused projection
    /// are views of it (<see cref="FusedProjections"/>), created in the caller's dispose scope. Adapter tensors (PEFT's
    /// module names, kit-internal) only with <paramref name="adapters"/>.</summary>
    public static Dictionary<string, Tensor> StateDict(LlamaModel model, bool adapters = false) =>
        FusedProjections.HfNamed(model).Where(p => adapters || !LoraAdapter.IsAdapterName(p.Name))
            .ToDictionary(p => p.Name, p => p.Tensor);

    /// <summary>Writes config.json and model.safetensors (atomically) in <paramref name="dtype"/> (default: the model's own).</summary>
    public static void Save(LlamaModel model, string directory, ScalarType? dtype = null)
    {
        Directory.CreateDirectory(directory);
        using var scope = NewDisposeScope();
        var target = dtype ?? model.DType;
        var tensors = StateDict(model).ToDictionary(kv => kv.Key, kv => kv.Value.detach().to(target));
        var config = model.Config with { TorchDtype = DtypeName(target) };
        Safetensors.Save(Path.Combine(directory, WeightsFile), tensors, new Dictionary<string, string> { ["format"] = "pt" });
        AtomicFile.WriteAllText(Path.Combine(directory, ConfigFile), config.ToJson());
    }

    /// <summary>config.json's name for a weight dtype (torch_dtype).</summary>
    public static string DtypeName(ScalarType t) => t switch { ScalarType.BFloat16 => "bfloat16", ScalarType.Float16 => "float16", _ => "float32" };

    /// <summary>Builds a model from a checkpoint directory; every model tensor must be present with its shape (errors name file and tensor).</summary>
    public static LlamaModel Load(string directory, Device? device = null, ScalarType? dtype = null)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"Model directory not found: {directory}");
        var config = LlamaConfig.Load(Path.Combine(directory, ConfigFile));
        // Built where and as it will run, then filled tensor by tensor: a 7B bf16 checkpoint on the GPU never exists on
        // the host as a model (fp32 there would be 27 GB), only one stored tensor at a time.
        var model = LlamaModel.Create(config, device ?? CPU, dtype ?? ScalarType.Float32);
        LoadWeights(model, directory);
        return model;
    }

    /// <summary>Copies the checkpoint's tensors into <paramref name="model"/> (strict: missing, extra or mis-shaped tensors are errors).</summary>
    public static void LoadWeights(LlamaModel model, string directory)
    {
        using var views = NewDisposeScope();
        var files = WeightFiles(directory);
        var expected = StateDict(model);
        var seen = new HashSet<string>();
        using var _ = no_grad();
        foreach (var file in files)
        {
            foreach (var (name, t) in Safetensors.ReadEach(file))
            {
                using var scope = NewDisposeScope();
                using var owned = t; // freed as soon as it is copied: one tensor in flight, never a second copy of the model
                if (name.EndsWith("rotary_emb.inv_freq")) continue; // old HF checkpoints store it; we recompute it
                if (name == "lm_head.weight" && model.Config.TieEmbeddings) continue;
                if (!expected.TryGetValue(name, out var p))
                    throw new InvalidDataException($"{file}: tensor '{name}' is not part of a model with this config.json ({model.Config.NumLayers} layers, tie_word_embeddings={model.Config.TieEmbeddings}).");
                if (!p.shape.SequenceEqual(t.shape))
                    throw new InvalidDataException($"{file}: tensor '{name}' has shape [{string.Join(",", t.shape)}] but config.json implies [{string.Join(",", p.shape)}].");
                p.copy_(t.to(p.dtype));
                seen.Add(name);
            }
        }
        var missing = expected.Keys.Where(k => !seen.Contains(k)).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException($"{directory}: checkpoint lacks {missing.Count} tensor(s) the config needs, first: '{missing[0]}'.");
    }

    /// <summary>The safetensors files of a checkpoint folder: the shards its index lists, or model.safetensors.</summary>
    public static List<string> WeightFiles(string directory)
    {
        var index = Path.Combine(directory, IndexFile);
        if (File.Exists(index))
        {
            JsonObject map;
            try { map = JsonNode.Parse(File.ReadAllText(index))!["weight_map"]!.AsObject(); }
            catch (Exception e) { throw new InvalidDataException($"{index}: field 'weight_map': missing or not an object ({e.Message}).", e); }
            var shards = map.Select(kv => kv.Value!.GetValue<string>()).Distinct().Select(f => Path.Combine(directory, f)).ToList();
            foreach (var s in shards)
                if (!File.Exists(s)) throw new FileNotFoundException($"{index}: shard '{Path.GetFileName(s)}' is listed but missing.", s);
            return shards;
        }
        var single = Path.Combine(directory, WeightsFile);
        if (!File.Exists(single)) throw new FileNotFoundException($"No weights in {directory}: expected {WeightsFile} or {IndexFile}.", single);
        return [single];
    }
}
