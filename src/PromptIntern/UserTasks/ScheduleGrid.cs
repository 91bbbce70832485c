using System.Globalization;
using PromptIntern.Scheduling;

namespace PromptIntern.UserTasks;

/// <summary>The plans the schedule search tries: every combination of stage count, decay shape and final template rate
/// (null = dropped, query-only inference), shots 3 → 0. Combinations that give the same stages are tried once.</summary>
public sealed record ScheduleGrid(IReadOnlyList<int> StageCounts, IReadOnlyList<DecayShape> Shapes, IReadOnlyList<double?> FinalRates)
{
    /// <summary>Stage count 2/4 × linear/exponential × template dropped/kept at 0.3 (ours).</summary>
    public static readonly ScheduleGrid Default = new([2, 4], [DecayShape.Linear, DecayShape.Exponential], [null, 0.3]);

    public IReadOnlyList<InternalizationPlan> Plans(double epochs)
    {
        var plans = new List<InternalizationPlan>();
        foreach (var stages in StageCounts)
            foreach (var shape in Shapes)
                foreach (var final in FinalRates)
                {
                    var name = $"search-s{stages}-{DecaySchedule.ToName(shape)}-{(final is { } r ? "tr" + r.ToString("0.###", CultureInfo.InvariantCulture) : "dropped")}";
                    var plan = PlanBuilder.Shaped(name, $"schedule search: {stages} stages, {DecaySchedule.ToName(shape)} decay, template " +
                        (final is { } f ? $"kept at {f.ToString("0.###", CultureInfo.InvariantCulture)} at inference" : "dropped (query-only inference)"),
                        stages, shape, templateEnd: final ?? 0, epochs: epochs);
                    // With two stages every shape gives the same stages (start, then end): train that plan once.
                    if (!plans.Any(p => p.Stages.SequenceEqual(plan.Stages) && p.Inference == plan.Inference)) plans.Add(plan);
                }
        return plans;
    }
}
