using System.Text.RegularExpressions;
using PromptIntern.Data;
using PromptIntern.Evaluation;

namespace PromptIntern.UserTasks;

/// <summary>Scores a user task's predictions with the metric its task file names (0–100, per example 0/1 or sentence score).</summary>
public sealed partial class UserTaskMetric(string task, UserMetricSpec spec, string taskDirectory) : ITaskMetric
{
    public string Task => task;
    public UserMetricSpec Spec => spec;
    public IReadOnlyList<string> MetricNames => [spec.MetricName];

    public MetricReport Score(IReadOnlyList<TaskExample> references, IReadOnlyList<string> predictions)
    {
        if (references.Count != predictions.Count)
            throw new ArgumentException($"{predictions.Count} predictions for {references.Count} references; they must pair one to one");
        var name = spec.MetricName;
        var check = spec.Kind == UserMetricKind.Command ? new CommandCheck(spec.Command!, taskDirectory, spec.TimeoutSeconds) : null;
        var examples = new List<ExampleScore>();
        for (int i = 0; i < references.Count; i++)
        {
            string pred = predictions[i].Trim(), gold = references[i].Answer.Trim();
            var (score, detail) = spec.Kind switch
            {
                UserMetricKind.ExactMatch => (pred == gold ? 1.0 : 0.0, ""),
                UserMetricKind.NormalizedMatch => (Normalize(pred) == Normalize(gold) ? 1.0 : 0.0, ""),
                UserMetricKind.Bleu => (Evaluation.Nl2Bash.Bleu.Sentence(Words(pred), Words(gold)), "sentence BLEU"),
                UserMetricKind.Chrf => (Chrf.Sentence(pred, gold), "sentence chrF"),
                _ => check!.Run(references[i], pred) is var o ? (o.Passed ? 1.0 : 0.0, o.Detail) : default,
            };
            examples.Add(new ExampleScore(references[i].Id, pred, gold, new Dictionary<string, double> { [name] = score }, detail));
        }
        double summary = spec.Kind switch
        {
            _ when examples.Count == 0 => 0,
            UserMetricKind.Bleu => Evaluation.Nl2Bash.Bleu.Corpus(examples.Select(e => ((IReadOnlyList<string>)Words(e.Prediction), (IReadOnlyList<string>)Words(e.Reference)))),
            UserMetricKind.Chrf => Chrf.Corpus(examples.Select(e => (e.Prediction, e.Reference))),
            _ => 100 * examples.Average(e => e.Scores[name]),
        };
        return new MetricReport(task, new Dictionary<string, double> { [name] = summary }, examples);
    }

    /// <summary>normalized_match's normal form: case folded, whitespace runs collapsed to one space, trimmed.</summary>
    public static string Normalize(string s) => Whitespace().Replace(s.Trim().ToLowerInvariant(), " ");

    static string[] Words(string s) => s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
