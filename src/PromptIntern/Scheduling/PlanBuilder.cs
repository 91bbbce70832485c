namespace PromptIntern.Scheduling;

/// <summary>Generates a plan from start and end values and a decay shape (the schedule-shape ablations).</summary>
public static class PlanBuilder
{
    /// <summary>S stages at evenly spaced progress 0..1. The template's kept fraction goes from <paramref name="templateStart"/>
    /// to <paramref name="templateEnd"/>; a value of 0 or below means the template is dropped (so templateEnd = 0 ends query-only).
    /// Shots go from <paramref name="shotsStart"/> to <paramref name="shotsEnd"/>, rounded to the nearest integer (halves up).
    /// Inference uses the end values. Rates are rounded to 3 decimals so labels stay readable; rounding keeps the order.</summary>
    public static InternalizationPlan Shaped(string name, string description, int stages, DecayShape shape,
        double templateStart = 1.0, double templateEnd = 0.0, int shotsStart = 3, int shotsEnd = 0, double epochs = 10,
        double sharpness = DecaySchedule.DefaultSharpness, double stepAt = DecaySchedule.DefaultStepAt)
    {
        if (stages < 1) throw new ArgumentOutOfRangeException(nameof(stages), stages, "at least one stage");
        var list = new List<PlanStage>();
        for (int i = 0; i < stages; i++)
        {
            double t = DecaySchedule.StageProgress(i, stages);
            double rate = Math.Round(DecaySchedule.Value(shape, templateStart, templateEnd, t, sharpness, stepAt), 3);
            double shots = DecaySchedule.Value(shape, shotsStart, shotsEnd, t, sharpness, stepAt);
            list.Add(new PlanStage(rate > 0 ? rate : null, (int)Math.Round(shots, MidpointRounding.AwayFromZero)));
        }
        var inference = new InferenceLayout(templateEnd > 0 ? templateEnd : null, shotsEnd);
        return new InternalizationPlan(name, description, list, inference, epochs).Validate(name);
    }
}
