using PromptIntern.Modeling;
using PromptIntern.Text;
using Xunit;

namespace PromptIntern.Tests.Modeling;

/// <summary>The static-cache decode step that CUDA graphs capture, run uncaptured on the CPU: it must pick the tokens the
/// eager path picks, sliding windows narrower than the prompt and left-padded rows included.</summary>
public class StaticCacheDecodeTests
{
    static LlamaModel Build(string extra) => new(LlamaConfig.FromJson(
        "{\"model_type\": \"mistral\", \"vocab_size\": 260, \"hidden_size\": 32, \"intermediate_size\": 48, \"num_hidden_layers\": 2, " +
        "\"num_attention_heads\": 4, \"num_key_value_heads\": 2, \"max_position_embeddings\": 128" + extra + "}"), seed: 7);

    [Theory]
    [InlineData("")]
    [InlineData(", \"sliding_window\": 5")]
    [InlineData(", \"sliding_window\": 2")]
    public void StaticCacheSteps_PickTheEagerTokens(string window)
    {
        using var model = Build(window);
        model.eval();
        var tokenizer = new ByteTokenizer();
        int[][] prompts = [[1, 17, 99, 4, 250, 31, 8, 44, 120, 3, 9], [5, 200, 61, 77]];
        var o = new GenerationOptions { MaxNewTokens = 14, Temperature = 0, StopAtEos = false };
        var eager = TextGenerator.Generate(model, tokenizer, prompts, o).Select(r => r.Tokens).ToList();

        int b = prompts.Length, p = prompts.Max(x => x.Length);
        var offsets = prompts.Select(x => p - x.Length).ToArray();
        var flat = new long[b * p];
        for (int i = 0; i < b; i++)
            for (int j = 0; j < p; j++) flat[i * p + j] = j < offsets[i] ? tokenizer.PadId : prompts[i][j - offsets[i]];
        List<long[]> steps;
        using (TorchSharp.torch.no_grad()) steps = GraphDecoder.Steps(model, flat, b, p, offsets, o, capture: false).ToList();

        Assert.Equal(o.MaxNewTokens, steps.Count);
        for (int i = 0; i < b; i++) Assert.Equal(eager[i], steps.Select(s => (int)s[i]).ToArray());
    }

    [Fact]
    public void TheWindowMatters_InTheseCases()
    {
        // Guards the theory above against a window too wide to change anything.
        var o = new GenerationOptions { MaxNewTokens = 14, Temperature = 0, StopAtEos = false };
        int[][] prompts = [[1, 17, 99, 4, 250, 31, 8, 44, 120, 3, 9]];
        using var full = Build("");
        using var narrow = Build(", \"sliding_window\": 2");
        Assert.NotEqual(TextGenerator.Generate(full, new ByteTokenizer(), prompts, o)[0].Tokens,
            TextGenerator.Generate(narrow, new ByteTokenizer(), prompts, o)[0].Tokens);
    }
}
