using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using PromptIntern.Data;
using PromptIntern.Corpus;
using PromptIntern.Provenance;
using PromptIntern.Modeling;
using static TorchSharp.torch;

namespace PromptIntern.Training;

/// <summary>A base model's next-token perplexity on text no corpus ever contains (by default the three tasks' dev splits,
/// rendered as the corpus renders train rows), written as heldout.json in the base's folder and shown beside every table
/// of its rows, so a reader sees how base quality moves a ranking.</summary>
public sealed record HeldOutPerplexity(
    [property: JsonPropertyName("perplexity")] double Perplexity,
    [property: JsonPropertyName("loss_nats_per_token")] double Loss,
    [property: JsonPropertyName("tokens")] long Tokens,
    [property: JsonPropertyName("window")] int Window,
    [property: JsonPropertyName("held_out")] string HeldOut,
    [property: JsonPropertyName("provenance")] RunProvenance? Provenance = null)
{
    public const string FileName = "heldout.json";

    /// <summary>Window and token cap of the kit's measurements: one setting for every base, so their numbers compare.</summary>
    public const int DefaultWindow = 512;
    public const long DefaultMaxTokens = 65_536;

    /// <summary>What the default held-out text is, as recorded in the file.</summary>
    public const string DevSplits = "the nl2bash, mbpp and nl2formula dev splits rendered as query/answer documents";

    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The record in <paramref name="modelDirectory"/>, or null when the base was never measured.</summary>
    public static HeldOutPerplexity? Read(string modelDirectory)
    {
        var path = Path.Combine(modelDirectory, FileName);
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<HeldOutPerplexity>(File.ReadAllText(path)); }
        catch (JsonException e) { throw new DataFormatException(path, 0, "(json)", e.Message); }
    }

    public void Write(string modelDirectory) =>
        AtomicFile.WriteAllText(Path.Combine(modelDirectory, FileName), JsonSerializer.Serialize(this, Indented));

    /// <summary>One line for a table's caption: the perplexity, or "not measured".</summary>
    public static string Describe(HeldOutPerplexity? p) => p is null
        ? "Base model's held-out perplexity: not measured."
        : string.Create(CultureInfo.InvariantCulture,
            $"Base model's held-out perplexity: {p.Perplexity:0.00} ({p.Tokens:N0} tokens of {p.HeldOut}, {p.Window}-token windows).");

    /// <summary>The task dev splits under <paramref name="dataDirectory"/> as documents (the held-out text of <see cref="DevSplits"/>).</summary>
    public static IEnumerable<string> DevDocuments(string dataDirectory) =>
        TaskName.All.Select(t => Path.Combine(dataDirectory, t, "dev.jsonl")).Where(File.Exists)
            .SelectMany(f => JsonlDataset.Load(f).Select(row => PretrainCorpus.RenderTaskDocument(Path.GetFileName(Path.GetDirectoryName(f))!, row)));

    /// <summary>Mean next-token loss over consecutive, non-overlapping windows of the documents' token stream (documents joined
    /// BOS … EOS, as pretraining joins them), at most <paramref name="maxTokens"/> tokens; perplexity = e^loss.</summary>
    public static HeldOutPerplexity Measure(CausalLanguageModel lm, IEnumerable<string> documents, string heldOut, int window = DefaultWindow,
        long maxTokens = DefaultMaxTokens, int batch = 8)
    {
        window = Math.Min(window, lm.Config.MaxSeqLen);
        var stream = PretrainBatches.Tokenize(documents, lm.Tokenizer);
        int windows = (int)Math.Min(stream.Length / window, Math.Max(1, maxTokens / window));
        if (windows == 0) throw new ArgumentException($"held-out text has {stream.Length} tokens, fewer than one {window}-token window");
        double lossSum = 0;
        lm.Model.eval();
        using (no_grad())
            for (int w = 0; w < windows; w += batch)
            {
                using var scope = NewDisposeScope();
                int rows = Math.Min(batch, windows - w);
                var ids = new long[rows * window];
                for (int i = 0; i < ids.Length; i++) ids[i] = stream[(long)w * window + i];
                var t = tensor(ids, [rows, window]).to(lm.Device);
                lossSum += lm.Model.Loss(t, t).item<float>() * rows;
            }
        double loss = lossSum / windows;
        return new HeldOutPerplexity(Math.Exp(loss), loss, (long)windows * window, window, heldOut, RunProvenance.Capture());
    }
}
