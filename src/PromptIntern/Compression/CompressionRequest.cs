namespace PromptIntern.Compression;

/// <summary>What to compress and how much: the prompt's parts, a keep rate (<see cref="KeepRate"/>, LLMLingua's "rate"
/// convention) or a token budget (<see cref="TargetTokens"/>, which wins), and spans that must survive.</summary>
/// <remarks>Unlike LLMLingua, which leaves the instruction untouched, the kit compresses the instruction
/// (the recurring template) by default, because template compression is what PromptIntern needs.
/// The question is always kept verbatim. Budgets are counted over the whole assembled prompt.</remarks>
public sealed record CompressionRequest
{
    /// <summary>The instruction template (compressed unless <see cref="CompressInstruction"/> is false).</summary>
    public string Instruction { get; init; } = "";

    /// <summary>Demonstrations or documents; each is one unit for coarse (context-level) selection.</summary>
    public IReadOnlyList<string> Contexts { get; init; } = [];

    /// <summary>The query; kept verbatim, and what question-aware methods condition on.</summary>
    public string Question { get; init; } = "";

    /// <summary>Fraction of the prompt's tokens to keep, in [0, 1] (0.3 keeps about 30%).</summary>
    public double KeepRate { get; init; } = 0.5;

    /// <summary>Exact token budget for the whole compressed prompt; overrides <see cref="KeepRate"/> when set.</summary>
    public int? TargetTokens { get; init; }

    /// <summary>Regular expressions whose matches are always kept (whole words around them survive too).
    /// <see cref="ForceKeep"/> has ready-made patterns.</summary>
    public IReadOnlyList<string> ForceKeep { get; init; } = [];

    /// <summary>Seed for methods with randomness (random drop, tie breaks).</summary>
    public int Seed { get; init; } = 1337;

    public bool CompressInstruction { get; init; } = true;

    /// <summary>False: the question only conditions question-aware methods and is not part of the prompt that is
    /// compressed and counted (used to compress and account for a template alone).</summary>
    public bool QuestionInPrompt { get; init; } = true;

    /// <summary>Input price per 1M tokens of the target model, for <see cref="CompressionResult.Saving"/>; null: no saving reported.</summary>
    public double? InputPricePerMillionTokens { get; init; }

    /// <summary>A single text compressed as the instruction.</summary>
    public static CompressionRequest ForText(string text, double keepRate) => new() { Instruction = text, KeepRate = keepRate };

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad field.</summary>
    public void Validate()
    {
        if (double.IsNaN(KeepRate) || KeepRate < 0 || KeepRate > 1)
            throw new ArgumentException($"KeepRate must be in [0, 1] (fraction of tokens kept); got {KeepRate}", nameof(KeepRate));
        if (TargetTokens is < 0)
            throw new ArgumentException($"TargetTokens must be >= 0; got {TargetTokens}", nameof(TargetTokens));
        foreach (var p in ForceKeep)
        {
            try { _ = new System.Text.RegularExpressions.Regex(p); }
            catch (ArgumentException e) { throw new ArgumentException($"ForceKeep pattern '{p}' is not a valid regex: {e.Message}", nameof(ForceKeep)); }
        }
    }
}
