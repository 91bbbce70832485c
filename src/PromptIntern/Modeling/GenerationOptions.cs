namespace PromptIntern.Modeling;

/// <summary>How to decode: greedy when Temperature is 0, else temperature + nucleus (top-p) sampling under Seed.</summary>
public sealed record GenerationOptions
{
    public int MaxNewTokens { get; init; } = 128;
    public double Temperature { get; init; }
    public double TopP { get; init; } = 1.0;
    public long Seed { get; init; } = 1337;
    /// <summary>Generation of a sequence stops when its text contains one of these; the returned text is cut before it.</summary>
    public IReadOnlyList<string> StopSequences { get; init; } = [];
    public bool StopAtEos { get; init; } = true;
    /// <summary>Prompts decoded together (left-padded to the longest).</summary>
    public int BatchSize { get; init; } = 16;
    /// <summary>Batch prompts of similar length together (<see cref="LengthBuckets"/>); results keep the input order.</summary>
    public bool BucketByLength { get; init; } = true;
    /// <summary>Cut prompts longer than the context from the left (keeping BOS), as fine-tuning does; false: such a prompt is an error.</summary>
    public bool TruncatePromptLeft { get; init; }

    /// <summary>The batching policy these options give.</summary>
    public LengthBuckets Buckets => new() { BatchSize = BatchSize, ByLength = BucketByLength };
}

/// <summary>One completion with its accounting: prompt and generated token counts (model tokenizer) and wall time of its batch.</summary>
public sealed record GenerationResult(string Text, int PromptTokens, int GeneratedTokens, double LatencyMs, string FinishReason);
