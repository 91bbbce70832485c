using PromptIntern.Text;

namespace PromptIntern.Experiments;

/// <summary>How many new tokens generation may spend on one answer. The preset's cap stays where it holds at least
/// <see cref="KeepPresetShare"/> of the task's train answers whole (short answers: a command, a formula); where it does
/// not, the cap becomes the <see cref="Percentile"/> answer length in the model's own tokens plus <see cref="Margin"/>, so
/// that long answers (MBPP's functions run to ~250 tokens) are not cut off, which would make pass@1 zero by construction.
/// A raised cap takes at most half the model's context, so the prompt keeps room.</summary>
public static class AnswerLengthCap
{
    public const double KeepPresetShare = 0.90;
    public const double Percentile = 0.98;
    /// <summary>Tokens beyond the percentile: the answer's end marker and a little slack.</summary>
    public const int Margin = 8;

    public static int For(IEnumerable<string> trainAnswers, ITokenizer tokenizer, int presetCap, int contextTokens)
    {
        var lengths = trainAnswers.Select(a => tokenizer.Encode(a).Length).Order().ToList();
        if (lengths.Count == 0 || At(lengths, KeepPresetShare) <= presetCap) return presetCap;
        return Math.Max(presetCap, Math.Min(At(lengths, Percentile) + Margin, contextTokens / 2));
    }

    // The q-quantile of sorted values (nearest rank).
    static int At(List<int> sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
}
