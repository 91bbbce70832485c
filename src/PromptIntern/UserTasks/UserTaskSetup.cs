using PromptIntern.Absorption;
using PromptIntern.Curriculum;
using PromptIntern.Experiments;
using PromptIntern.Text;

namespace PromptIntern.UserTasks;

/// <summary>Turns a <see cref="UserTaskDefinition"/> into the <see cref="TaskSetup"/> the experiment runner takes: the user's
/// rows, template, metric, forced spans and answer shape in place of a built-in task's.</summary>
public static class UserTaskSetup
{
    /// <summary>Train rows are a seeded sample of <c>preset.TrainRows</c> (0 = all); evaluation rows the first
    /// <c>preset.EvalRows</c> dev rows in file order; the template is capped at <c>preset.TemplateTokenCap</c> (0 = whole).</summary>
    public static TaskSetup Load(UserTaskDefinition task, ReproducePreset preset, int seed)
    {
        var allTrain = task.LoadTrain();
        var eval = task.LoadDev();
        var pool = task.ExamplesFile == null ? allTrain : task.LoadExamplePool();
        var rng = new Random(seed);
        var train = preset.TrainRows > 0 && preset.TrainRows < allTrain.Count
            ? allTrain.OrderBy(e => e.Id, StringComparer.Ordinal).OrderBy(_ => rng.Next()).Take(preset.TrainRows).ToList()
            : allTrain;
        if (preset.EvalRows > 0) eval = eval.Take(preset.EvalRows).ToList();
        var template = TemplateCap.Apply(task.LoadTemplate(), preset.TemplateTokenCap, CostTokenizer.O200k);
        var format = new TaskTextFormat(e => e.Query.Trim(), e => e.Answer.Replace("\r\n", "\n").Trim());
        bool oneLine = !task.MultilineAnswers;
        return new TaskSetup(task.Name, train, eval, template, new Bm25Retriever(pool), format, task.TrainFile, task.DevFile)
        {
            CustomMetric = task.CreateMetric(),
            // A span the template cap cut away cannot be kept.
            CustomForcedSpans = task.ForcedSpans.Where(s => template.Contains(s, StringComparison.Ordinal)).ToList(),
            CustomOneLineAnswers = oneLine,
            CustomExtractor = text => UserPrediction.Extract(text, oneLine),
        };
    }
}
