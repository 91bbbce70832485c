using System.Text.Json;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PromptIntern.Compression;

/// <summary>Size of the LLMLingua-2-style keep/drop classifier.</summary>
public sealed record KeepClassifierConfig(int Buckets = 8192, int WordDim = 32, int ShapeDim = 8, int Hidden = 48, int Window = 128);

/// <summary>LLMLingua-2's idea at kit scale: a small bidirectional token classifier that predicts, for every
/// lexical unit, the probability that it should be kept, from context on both sides. A BiLSTM over hashed word
/// and shape embeddings (about 0.3M parameters) instead of XLM-RoBERTa; trained by distillation (see
/// <see cref="KeepClassifierTrainer"/>).</summary>
public sealed class KeepClassifier : nn.Module<Tensor, Tensor, Tensor>
{
    const string WeightsFile = "model.dat", ConfigFile = "config.json";

#pragma warning disable IDE1006 // names as they appear in the saved state dict
    readonly Embedding word_embed;
    readonly Embedding shape_embed;
    readonly LSTM lstm;
    readonly Linear head;
#pragma warning restore IDE1006

    public KeepClassifierConfig Config { get; }

    public KeepClassifier(KeepClassifierConfig config) : base("keep_classifier")
    {
        Config = config;
        word_embed = nn.Embedding(config.Buckets, config.WordDim);
        shape_embed = nn.Embedding(UnitFeatures.ShapeCount, config.ShapeDim);
        lstm = nn.LSTM(config.WordDim + config.ShapeDim, config.Hidden, bidirectional: true, batchFirst: true);
        head = nn.Linear(2 * config.Hidden, 1);
        RegisterComponents();
    }

    /// <summary>Keep logits [batch, units] from word ids and shape ids, both [batch, units].</summary>
    public override Tensor forward(Tensor words, Tensor shapes)
    {
        using var scope = NewDisposeScope();
        var x = cat([word_embed.call(words), shape_embed.call(shapes)], -1);
        var (y, _, _) = lstm.call(x, null);
        return head.call(y).squeeze(-1).MoveToOuterDisposeScope();
    }

    /// <summary>Keep probability of each unit text, scored window by window.</summary>
    public float[] KeepProbabilities(IReadOnlyList<string> units)
    {
        var probs = new float[units.Count];
        if (units.Count == 0) return probs;
        eval();
        using var noGrad = no_grad();
        for (var s = 0; s < units.Count; s += Config.Window)
        {
            using var scope = NewDisposeScope();
            var n = Math.Min(Config.Window, units.Count - s);
            var w = new long[n];
            var sh = new long[n];
            for (var i = 0; i < n; i++) { w[i] = UnitFeatures.WordId(units[s + i], Config.Buckets); sh[i] = UnitFeatures.ShapeId(units[s + i]); }
            var p = sigmoid(forward(tensor(w).reshape(1, n), tensor(sh).reshape(1, n))).data<float>().ToArray();
            Array.Copy(p, 0, probs, s, n);
        }
        return probs;
    }

    /// <summary>Writes config.json and model.dat (TorchSharp format) into <paramref name="dir"/>.</summary>
    public void SaveTo(string dir)
    {
        Directory.CreateDirectory(dir);
        Data.AtomicFile.WriteAllText(Path.Combine(dir, ConfigFile), JsonSerializer.Serialize(Config, new JsonSerializerOptions { WriteIndented = true }));
        Data.AtomicFile.Write(Path.Combine(dir, WeightsFile), tmp => save(tmp));
    }

    public static bool Exists(string dir) => File.Exists(Path.Combine(dir, WeightsFile)) && File.Exists(Path.Combine(dir, ConfigFile));

    public static KeepClassifier LoadFrom(string dir)
    {
        var configPath = Path.Combine(dir, ConfigFile);
        var config = JsonSerializer.Deserialize<KeepClassifierConfig>(File.ReadAllText(configPath))
                     ?? throw new Data.DataFormatException(configPath, 1, "", "empty classifier config");
        var model = new KeepClassifier(config);
        model.load(Path.Combine(dir, WeightsFile));
        model.eval();
        return model;
    }
}
