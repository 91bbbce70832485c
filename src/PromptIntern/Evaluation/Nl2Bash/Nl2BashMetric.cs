using PromptIntern.Data;

namespace PromptIntern.Evaluation.Nl2Bash;

/// <summary>NL2Bash scores: corpus <c>BLEU</c> (0–100, the paper's metric), <c>command_acc</c> (exact command, whitespace
/// around shell punctuation ignored) and <c>template_acc</c> (same utilities, flags and operators; arguments abstracted).
/// Per example: smoothed sentence BLEU, command and template match.</summary>
public sealed class Nl2BashMetric() : PerExampleMetric(TaskName.Nl2Bash, [BleuName, CommandAccName, TemplateAccName])
{
    public const string BleuName = "BLEU", CommandAccName = "command_acc", TemplateAccName = "template_acc";

    protected override ExampleScore ScoreExample(TaskExample row, string prediction)
    {
        string reference = row.Answer;
        bool command = CommandMatches(prediction, reference);
        bool template = command || CommandTemplate.Of(prediction) == CommandTemplate.Of(reference);
        return new ExampleScore(row.Id, prediction, reference, new Dictionary<string, double>
        {
            ["sentence_bleu"] = Bleu.Sentence(BashTokens.Split(prediction), BashTokens.Split(reference)),
            [CommandAccName] = command ? 1 : 0,
            [TemplateAccName] = template ? 1 : 0,
        });
    }

    /// <summary>Corpus BLEU over every example (not the mean of sentence BLEUs); accuracies in percent.</summary>
    protected override Dictionary<string, double> Summarise(IReadOnlyList<ExampleScore> examples) => new()
    {
        [BleuName] = Bleu.Corpus(examples.Select(e => (BashTokens.Split(e.Prediction), BashTokens.Split(e.Reference))).ToList()),
        [CommandAccName] = Percent(examples, CommandAccName),
        [TemplateAccName] = Percent(examples, TemplateAccName),
    };

    /// <summary>Same command once whitespace is normalized (runs collapsed; spacing around shell punctuation ignored).</summary>
    public static bool CommandMatches(string prediction, string reference) =>
        BashTokens.Normalize(prediction) == BashTokens.Normalize(reference);
}
