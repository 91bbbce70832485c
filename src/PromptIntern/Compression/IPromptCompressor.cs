using System.Text.RegularExpressions;

namespace PromptIntern.Compression;

/// <summary>A prompt compressor: the one call is <c>compressor.Compress(request)</c>, or
/// <c>compressor.Compress(text, rate)</c> for a single text.</summary>
public interface IPromptCompressor
{
    /// <summary>Method name as the CLI spells it (e.g. "llmlingua2").</summary>
    string Name { get; }

    CompressionResult Compress(CompressionRequest request);
}

/// <summary>Shortcuts over <see cref="IPromptCompressor"/>.</summary>
public static class PromptCompressorExtensions
{
    /// <summary>Compresses one text, keeping about <paramref name="keepRate"/> of its tokens.</summary>
    public static CompressionResult Compress(this IPromptCompressor compressor, string text, double keepRate) =>
        compressor.Compress(CompressionRequest.ForText(text, keepRate));

    /// <summary>Compresses an instruction template alone to <paramref name="keepRate"/> of its tokens; the literal
    /// <paramref name="forcedSpans"/> (e.g. TaskTemplates.ForcedSpans: answer marker, output-format sentence) always survive.</summary>
    public static string CompressTemplate(this IPromptCompressor compressor, string template, double keepRate, IReadOnlyList<string> forcedSpans) =>
        compressor.Compress(new CompressionRequest { Instruction = template, KeepRate = keepRate, ForceKeep = forcedSpans.Select(Regex.Escape).ToList() })
            .CompressedPrompt;

    /// <summary>Compresses one text to at most <paramref name="targetTokens"/> counted tokens.</summary>
    public static CompressionResult CompressToTokens(this IPromptCompressor compressor, string text, int targetTokens) =>
        compressor.Compress(new CompressionRequest { Instruction = text, TargetTokens = targetTokens });
}
