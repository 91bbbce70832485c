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

    /// <summary>Keep probability of each unit text. Windows of <see cref="KeepClassifierConfig.Window"/> units run as one
    /// batch; the last window is shifted back to end at the last unit, so no window holds padding.</summary>
    public float[] KeepProbabilities(IReadOnlyList<string> units)
    {
        var n = units.Count;
        var probs = new float[n];
        if (n == 0) return probs;
        var window = Math.Min(Config.Window, n);
        var starts = new List<int>();
        for (var s = 0; s < n; s += window) starts.Add(Math.Min(s, n - window));
        var w = new long[starts.Count * window];
        var sh = new long[starts.Count * window];
        for (var b = 0; b < starts.Count; b++)
            for (var i = 0; i < window; i++)
            {
                w[b * window + i] = UnitFeatures.WordId(units[starts[b] + i], Config.Buckets);
                sh[b * window + i] = UnitFeatures.ShapeId(units[starts[b] + i]);
            }
        eval();
        float[] p;
        // One intra-op thread: the LSTM's small sequential steps gain nothing from more, and on a busy CPU the
        // extra threads' synchronisation made a 2k-unit call take 1-5 s instead of 0.3 s (measured, 2 cores).
        var threads = get_num_threads();
        set_num_threads(1);
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            long[] shape = [starts.Count, window];
            p = sigmoid(forward(tensor(w).reshape(shape), tensor(sh).reshape(shape))).data<float>().ToArray();
        }
        finally { set_num_threads(threads); }
        for (var b = 0; b < starts.Count; b++)
            for (var i = 0; i < window; i++)
                probs[starts[b] + i] = p[b * window + i]; // a shifted last window overwrites the overlap with its own view
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
