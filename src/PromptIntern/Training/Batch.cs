namespace PromptIntern.Training;

/// <summary>One micro-batch on the host: token ids and labels ([rows, cols], row-major; label -100 = not scored).</summary>
public sealed record Batch(long[] Ids, long[] Labels, int Rows, int Cols)
{
    /// <summary>Tokens that count towards the loss.</summary>
    public long ScoredTokens => Labels.Count(l => l != -100);
}

/// <summary>Supplies the micro-batch for (step, micro index) deterministically, so a resumed run sees exactly the data the uninterrupted one would.</summary>
public interface IBatchSource
{
    Batch Get(int step, int micro);
}
