using PromptIntern.Modeling;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace PromptIntern.Tests.Modeling;

/// <summary>The LoRA adapter the kit trains for the PEFT round trip (fixture peft/llama-kit-made): shaped for the
/// 'llama' parity checkpoint, trained a few steps on random ids, saved as a PEFT folder.</summary>
public static class KitMadeAdapter
{
    public static readonly LlamaConfig BaseShape = new()
    {
        VocabSize = 260, HiddenSize = 64, NumLayers = 2, NumHeads = 4, NumKvHeads = 2, IntermediateSize = 128, MaxSeqLen = 128,
    };

    internal static void Write(string directory)
    {
        using var model = new LlamaModel(BaseShape, seed: 3);
        var lora = LoraAdapter.Attach(model, new LoraConfig { R = 4, Alpha = 8, Dropout = 0, TargetModules = ["all-linear"] }, seed: 3);
        var ids = randint(0, 260, [2, 16], generator: new Generator(5));
        var opt = optim.AdamW(lora.Parameters(), 1e-2);
        for (int i = 0; i < 5; i++)
        {
            using var s = NewDisposeScope();
            opt.zero_grad();
            model.Loss(ids, ids).backward();
            opt.step();
        }
        lora.Save(directory);
    }

    /// <summary>Writes the adapter where PROMPTINTERN_WRITE_KIT_ADAPTER points (how the fixture was made); otherwise does nothing.</summary>
    [Fact]
    public static void WriteWhenAsked()
    {
        if (Environment.GetEnvironmentVariable("PROMPTINTERN_WRITE_KIT_ADAPTER") is { Length: > 0 } dir) Write(dir);
    }
}
