namespace PromptIntern.Absorption;

/// <summary>BM25's two free parameters.</summary>
/// <remarks>Ours (the paper names BM25 but no parameters): k1 = 1.5 and b = 0.75, the values of the common
/// rank_bm25 / Robertson–Zaragoza defaults (Lucene uses k1 = 1.2); queries here are short, so k1 barely matters.</remarks>
public sealed record Bm25Parameters(double K1 = 1.5, double B = 0.75)
{
    public static readonly Bm25Parameters Default = new();

    public void Validate()
    {
        if (!(K1 >= 0) || double.IsInfinity(K1)) throw new ArgumentOutOfRangeException(nameof(K1), K1, "k1 must be a finite number >= 0");
        if (!(B >= 0 && B <= 1)) throw new ArgumentOutOfRangeException(nameof(B), B, "b must be in [0, 1]");
    }
}
