using PromptIntern.Data;
using PromptIntern.Provenance;
using PromptIntern.Text;

namespace PromptIntern.Curriculum;

/// <summary>Exports a curriculum: one validated fine-tuning file per stage plus the token and cost accounting.</summary>
public static class CurriculumExport
{
    /// <summary>Writes every stage to <paramref name="dir"/>, re-reads and validates each file line by line (throwing the first
    /// problem), and measures tokens per stage and at inference.</summary>
    /// <param name="inferenceQueries">queries on which inference tokens are measured (e.g. the dev split)</param>
    /// <param name="fullPromptShots">examples in the full prompt the inference layout is compared against (ours: 3, the default
    /// plan's first stage)</param>
    /// <param name="trainingPricePerMillionUsd">training price per 1M tokens, or null for no cost estimate</param>
    /// <param name="run">provenance (git commit, machine, date, ...) recorded in the report</param>
    /// <param name="progress">called after each stage with (done, total)</param>
    public static CurriculumReport Run(StagedCurriculum curriculum, string task, string dir, FineTuneFormat format, ITokenCounter counter,
        IReadOnlyList<TaskExample> inferenceQueries, int fullPromptShots = 3, double? trainingPricePerMillionUsd = null,
        FineTuneLimits? limits = null, RunProvenance? run = null, Action<int, int>? progress = null)
    {
        var stages = new List<StageReport>();
        foreach (var stage in curriculum.Stages)
        {
            var path = FineTuneExporter.WriteStage(stage, dir, format);
            var file = FineTuneValidator.ValidateFile(path, format, counter, limits).ThrowIfInvalid();
            double input = stage.Items.Count == 0 ? 0 : stage.Items.Average(i => FineTuneFormats.InputTokens(format, i.Prompt, counter));
            double trained = file.TotalTokens * stage.Epochs;
            stages.Add(new StageReport(stage.Index + 1, stage.Name, Path.GetFileName(path), stage.Stage.KeepRate, stage.Stage.Shots,
                stage.Epochs, file.Examples, input, file.TotalTokens, trained,
                trainingPricePerMillionUsd is { } price ? trained * price / 1e6 : null));
            progress?.Invoke(stages.Count, curriculum.Stages.Count);
        }
        var plan = curriculum.Plan;
        return new CurriculumReport(task, plan.Name, plan.Description, plan.Epochs, FineTuneFormats.ToName(format), counter.Name,
            curriculum.CompressorName, curriculum.RetrieverName, trainingPricePerMillionUsd, stages,
            MeasureInference(curriculum, inferenceQueries, format, counter, fullPromptShots),
            run);
    }

    /// <summary>Mean input tokens per query in the plan's inference layout and in the full prompt.</summary>
    public static InferenceReport MeasureInference(StagedCurriculum curriculum, IReadOnlyList<TaskExample> queries, FineTuneFormat format,
        ITokenCounter counter, int fullPromptShots = 3)
    {
        if (queries.Count == 0) throw new ArgumentException("no queries to measure inference tokens on", nameof(queries));
        double layout = queries.Average(q => FineTuneFormats.InputTokens(format, curriculum.InferencePrompt(q), counter));
        double full = queries.Average(q => FineTuneFormats.InputTokens(format, curriculum.FullPrompt(q, fullPromptShots), counter));
        return new InferenceReport(curriculum.Plan.Inference.Label, queries.Count, layout, fullPromptShots, full, 1 - layout / full);
    }
}
