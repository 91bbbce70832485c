using System.Globalization;
using System.Text.Json.Serialization;
using PromptIntern.Data;

namespace PromptIntern.Scheduling;

/// <summary>The progressive internalization schedule: the stages fine-tuning walks through, the total epochs shared between
/// them, and the layout used at inference.</summary>
/// <param name="Epochs">epochs over all stages; 10 by default, the official hosted recipe's n_epochs</param>
/// <param name="Budget">null: the stages split <paramref name="Epochs"/> by epoch share; otherwise a <see cref="StageBudget"/>
/// sets each stage's epochs from them when the curriculum is built (left out of the JSON when null, so plans without one
/// keep their experiment ids)</param>
public sealed record InternalizationPlan(string Name, string Description, IReadOnlyList<PlanStage> Stages, InferenceLayout Inference, double Epochs = 10,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] StageBudget? Budget = null)
{
    public PlanStage Final => Stages[^1];

    /// <summary>Epochs of stage <paramref name="index"/>: the plan's epochs split by epoch share.</summary>
    public double StageEpochs(int index) => Epochs * Stages[index].EpochShare / Stages.Sum(s => s.EpochShare);

    /// <summary>The largest shot count of any stage or of inference: how many examples to retrieve per query.</summary>
    public int MaxShots => Math.Max(Inference.Shots, Stages.Count == 0 ? 0 : Stages.Max(s => s.Shots));

    /// <summary>Throws a <see cref="DataFormatException"/> naming <paramref name="source"/> and the field at fault when the plan
    /// is not usable: no stages, a rate outside (0, 1], negative shots, a rate or shot count that goes back up (once dropped,
    /// the template stays dropped), a non-positive epoch share, or non-positive epochs.</summary>
    public InternalizationPlan Validate(string source = "(plan)")
    {
        void Fail(string field, string problem) => throw new DataFormatException(source, 0, field, problem);
        if (string.IsNullOrWhiteSpace(Name)) Fail("name", "empty");
        if (!(Epochs > 0) || double.IsInfinity(Epochs)) Fail("epochs", $"must be a finite number > 0, found {Fmt(Epochs)}");
        if (Stages.Count == 0) Fail("stages", "at least one stage is required");
        for (int i = 0; i < Stages.Count; i++)
        {
            var s = Stages[i];
            string at = $"stages[{i}]";
            if (s.KeepRate is { } r && !(r > 0 && r <= 1))
                Fail(at + ".template_rate", $"must be in (0, 1] (kept fraction) or null (template dropped), found {Fmt(r)}");
            if (s.Shots < 0) Fail(at + ".shots", $"must be >= 0, found {s.Shots}");
            if (!(s.EpochShare > 0) || double.IsInfinity(s.EpochShare)) Fail(at + ".epoch_share", $"must be a finite number > 0, found {Fmt(s.EpochShare)}");
            if (i == 0) continue;
            var p = Stages[i - 1];
            if ((s.KeepRate ?? 0) > (p.KeepRate ?? 0))
                Fail(at + ".template_rate", $"goes back up ({Show(p.KeepRate)} in stage {i - 1}, {Show(s.KeepRate)} here); the template may only shrink");
            if (s.Shots > p.Shots)
                Fail(at + ".shots", $"goes back up ({p.Shots} in stage {i - 1}, {s.Shots} here); examples may only be removed");
        }
        if (Inference.KeepRate is { } ir && !(ir > 0 && ir <= 1))
            Fail("inference.template_rate", $"must be in (0, 1] or null (query only), found {Fmt(ir)}");
        if (Inference.Shots < 0) Fail("inference.shots", $"must be >= 0, found {Inference.Shots}");
        return this;
    }

    static string Fmt(double v) => v.ToString("R", CultureInfo.InvariantCulture);
    static string Show(double? r) => r is { } v ? Fmt(v) : "dropped";
}
