using PromptIntern.Data;

namespace PromptIntern.Evaluation.Nl2Bash;

/// <summary>NL2Bash scores: corpus <c>BLEU</c> (0–100, the paper's metric), <c>command_acc</c> (exact command, whitespace
/// around shell punctuation ignored) and <c>template_acc</c> (same utilities, flags and operators; arguments abstracted).
/// Per example: smoothed sentence BLEU, command and template match.</summary>
public sealed class Nl2BashMetric : ITaskMetric
{
    public const string BleuName = "BLEU", CommandAccName = "command_acc", TemplateAccName = "template_acc";

    public string Task => TaskName.Nl2Bash;
    public IReadOnlyList<string> MetricNames => [BleuName, CommandAccName, TemplateAccName];

    public MetricReport Score(IReadOnlyList<TaskExample> references, IReadOnlyList<string> predictions)
    {
        TaskMetrics.CheckAligned(references, predictions);
        var pairs = new List<(IReadOnlyList<string>, IReadOnlyList<string>)>();
        var examples = new List<ExampleScore>();
        for (int i = 0; i < references.Count; i++)
        {
            string reference = references[i].Answer, prediction = predictions[i].Trim();
            var hyp = BashTokens.Split(prediction);
            var refTokens = BashTokens.Split(reference);
            pairs.Add((hyp, refTokens));
            bool command = CommandMatches(prediction, reference);
            bool template = command || CommandTemplate.Of(prediction) == CommandTemplate.Of(reference);
            examples.Add(new ExampleScore(references[i].Id, prediction, reference, new Dictionary<string, double>
            {
                ["sentence_bleu"] = Bleu.Sentence(hyp, refTokens),
                [CommandAccName] = command ? 1 : 0,
                [TemplateAccName] = template ? 1 : 0,
            }));
        }
        var metrics = new Dictionary<string, double>
        {
            [BleuName] = Bleu.Corpus(pairs),
            [CommandAccName] = 100 * Mean(examples, CommandAccName),
            [TemplateAccName] = 100 * Mean(examples, TemplateAccName),
        };
        return new MetricReport(Task, metrics, examples);
    }

    /// <summary>Same command once whitespace is normalized (runs collapsed; spacing around shell punctuation ignored).</summary>
    public static bool CommandMatches(string prediction, string reference) =>
        BashTokens.Normalize(prediction) == BashTokens.Normalize(reference);

    static double Mean(List<ExampleScore> xs, string key) => xs.Count == 0 ? 0 : xs.Average(x => x.Scores[key]);
}
