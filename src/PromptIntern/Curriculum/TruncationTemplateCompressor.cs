using PromptIntern.Text;

namespace PromptIntern.Curriculum;

/// <summary>STAND-IN compressor: keeps the first ⌈rate × n⌉ tokens of the template (o200k_base) and cuts the rest.
/// It meets the rate exactly but keeps no salient tokens; use it for tests and dry runs, and an LLMLingua-family
/// compressor (Compression) for experiments.</summary>
public sealed class TruncationTemplateCompressor : ITemplateCompressor
{
    readonly CostTokenizer _tokenizer;

    public TruncationTemplateCompressor(string encoding = CostTokenizer.O200kBase)
    {
        _tokenizer = CostTokenizer.Get(encoding);
        Name = $"truncate-{_tokenizer.Name}(stand-in)";
    }

    public string Name { get; }

    public string Compress(string template, double rate)
    {
        if (!(rate > 0 && rate <= 1)) throw new ArgumentOutOfRangeException(nameof(rate), rate, "rate (kept fraction) must be in (0, 1]");
        int total = _tokenizer.CountTokens(template);
        int keep = (int)Math.Ceiling(rate * total);
        if (keep >= total) return template;
        return _tokenizer.Prefix(template, keep).TrimEnd();
    }
}
