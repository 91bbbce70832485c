using PromptIntern.Modeling;
using PromptIntern.Text;
using static TorchSharp.torch;

namespace PromptIntern.Tests.Modeling;

static class ModelingTestHelpers
{
    public static CausalLanguageModel MicroModel(long seed = 1) => CausalLanguageModel.Create(LlamaConfig.Micro, new ByteTokenizer(), CPU, seed);

    public static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "pi-model-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }

    public static float MaxAbsDiff(Tensor a, Tensor b) => (a - b).abs().max().item<float>();

    /// <summary>Same shape, dtype and every element equal.</summary>
    public static bool Same(Tensor a, Tensor b) => a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    public static Tensor Ids(params int[][] rows) =>
        tensor(rows.SelectMany(r => r.Select(x => (long)x)).ToArray(), [rows.Length, rows[0].Length]);
}
