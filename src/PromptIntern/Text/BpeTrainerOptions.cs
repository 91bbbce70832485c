namespace PromptIntern.Text;

/// <summary>Settings for training a byte-level BPE vocabulary. Defaults suit the kit's small models.</summary>
public sealed record BpeTrainerOptions
{
    /// <summary>Target vocabulary size, counting the 256 byte tokens and the special tokens.</summary>
    public int VocabSize { get; init; } = 8192;

    /// <summary>A pair seen fewer times than this is never merged; training stops early when no pair qualifies.</summary>
    public int MinPairFrequency { get; init; } = 2;

    /// <summary>Special tokens appended after the learned tokens, in this order.</summary>
    public IReadOnlyList<string> SpecialTokens { get; init; } = SpecialTokenNames.All;

    /// <summary>Pre-tokenizer regex; merges never cross its matches.</summary>
    public string Pattern { get; init; } = PreTokenizerPattern.Default;
}

/// <summary>Training progress: the phase ("counting" words or "merging"), work done and total where known.</summary>
public readonly record struct BpeTrainingProgress(string Phase, long Done, long Total);
