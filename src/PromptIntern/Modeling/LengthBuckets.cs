namespace PromptIntern.Modeling;

/// <summary>How prompts are grouped into decoding batches: in order, or sorted by length (longest first) so that each
/// batch holds prompts of similar length and one long prompt does not pad a whole batch. Results go back in input order.</summary>
public sealed record LengthBuckets
{
    /// <summary>Rows per batch (each batch is left-padded to its longest prompt).</summary>
    public required int BatchSize { get; init; }
    /// <summary>True: batches of similar lengths; false: consecutive rows as given.</summary>
    public required bool ByLength { get; init; }

    /// <summary>Input indices of each batch, in decoding order. Equal lengths keep their input order.</summary>
    public IReadOnlyList<int[]> Plan(IReadOnlyList<int> lengths)
    {
        int size = Math.Max(1, BatchSize);
        var order = Enumerable.Range(0, lengths.Count);
        if (ByLength) order = order.OrderByDescending(i => lengths[i]);
        return order.Chunk(size).ToList();
    }

    /// <summary>Padding this plan costs on <paramref name="lengths"/>.</summary>
    public PaddingStats Padding(IReadOnlyList<int> lengths)
    {
        long real = lengths.Sum(x => (long)x), slots = Plan(lengths).Sum(b => (long)b.Length * b.Max(i => lengths[i]));
        return new PaddingStats(real, slots);
    }

    /// <summary>The label recorded in run configs: "length-sorted" or "input-order".</summary>
    public string Policy => ByLength ? "length-sorted" : "input-order";
}

/// <summary>Prompt positions a batched prefill computes: <see cref="RealTokens"/> prompt tokens in <see cref="Slots"/>
/// batch × longest-prompt slots; the rest is left padding.</summary>
public sealed record PaddingStats(long RealTokens, long Slots)
{
    public long PadTokens => Slots - RealTokens;
    /// <summary>Share of prefill slots that are padding (0 when nothing is padded).</summary>
    public double PadFraction => Slots == 0 ? 0 : (double)PadTokens / Slots;
}
