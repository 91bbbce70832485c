using PromptIntern.Text;

namespace PromptIntern.Experiments;

/// <summary>How many new tokens generation may spend on one answer: the preset's cap, raised where a task's answers run
/// longer. The cap is the 98th percentile of the train answers' lengths in the model's own tokens plus room for the
/// stop marker, so that long answers (MBPP's functions run to ~250 tokens) are not cut off, which would make pass@1 zero
/// by construction; short answers (a command, a formula) keep the preset's cap.</summary>
public static class AnswerLengthCap
{
    public const double Percentile = 0.98;
    /// <summary>Tokens beyond the percentile: the answer's end marker and a little slack.</summary>
    public const int Margin = 8;

    public static int For(IEnumerable<string> trainAnswers, ModelTokenizer tokenizer, int presetCap)
    {
        var lengths = trainAnswers.Select(a => tokenizer.Encode(a).Length).Order().ToList();
        if (lengths.Count == 0) return presetCap;
        int index = (int)Math.Ceiling(Percentile * lengths.Count) - 1;
        return Math.Max(presetCap, lengths[Math.Clamp(index, 0, lengths.Count - 1)] + Margin);
    }
}
