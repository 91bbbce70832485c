using System.Text.RegularExpressions;
using PromptIntern.Compression;

namespace PromptIntern.Curriculum;

/// <summary>Shrinks the instruction template to a kept fraction of its tokens (LLMLingua's rate). The curriculum's
/// view of a compressor, so it needs nothing from Compression; adapt any compressor with <see cref="TemplateCompressor.FromFunc"/>.</summary>
public interface ITemplateCompressor
{
    /// <summary>Recorded in results and used as part of the cache key, e.g. "llmlingua2".</summary>
    string Name { get; }

    /// <param name="rate">fraction of the template's tokens to keep, in (0, 1]</param>
    string Compress(string template, double rate);
}

/// <summary>Adapters for <see cref="ITemplateCompressor"/>.</summary>
public static class TemplateCompressor
{
    /// <summary>Wraps a function (template, rate) → compressed template, e.g. <c>(t, r) => compressor.Compress(t, r).CompressedPrompt</c>.</summary>
    public static ITemplateCompressor FromFunc(string name, Func<string, double, string> compress) => new FuncCompressor(name, compress);

    /// <summary>Adapts a Compression compressor: the template is the request's instruction, compressed to <c>rate</c>;
    /// <paramref name="keepSpans"/> (literal text, e.g. TaskTemplates.ForcedSpans) always survive.</summary>
    public static ITemplateCompressor From(IPromptCompressor compressor, IReadOnlyList<string>? keepSpans = null)
    {
        var forceKeep = (keepSpans ?? []).Select(Regex.Escape).ToList();
        return FromFunc(compressor.Name, (template, rate) =>
            compressor.Compress(new CompressionRequest { Instruction = template, Rate = rate, ForceKeep = forceKeep }).CompressedPrompt);
    }

    sealed class FuncCompressor(string name, Func<string, double, string> compress) : ITemplateCompressor
    {
        public string Name => name;
        public string Compress(string template, double rate) => compress(template, rate);
    }
}
