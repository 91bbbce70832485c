namespace PromptIntern.Scheduling;

/// <summary>How a schedule moves from its start value to its end value across the stages.</summary>
public enum DecayShape
{
    /// <summary>Equal steps.</summary>
    Linear,
    /// <summary>Large steps first, then small (convex): most of the prompt goes early.</summary>
    Exponential,
    /// <summary>Small steps first, then large (concave): most of the prompt goes late.</summary>
    InverseExponential,
    /// <summary>Start value until the step point, end value from there on.</summary>
    Step,
    /// <summary>No decay: the start value in every stage.</summary>
    None,
}

/// <summary>The decay shapes as pure functions of training progress t in [0, 1].</summary>
/// <remarks>Ours (the paper names the shapes but not their formulas): exponential uses
/// f(t) = (1 − e^(−αt)) / (1 − e^(−α)) and inverse-exponential f(t) = (e^(αt) − 1) / (e^α − 1), with α = 3 by default,
/// so both reach exactly 0 at t = 0 and 1 at t = 1; step jumps at t = 0.5 by default.</remarks>
public static class DecaySchedule
{
    public const double DefaultSharpness = 3.0;
    public const double DefaultStepAt = 0.5;

    /// <summary>Fraction of the way from start to end reached at progress <paramref name="t"/> (0 → 0, 1 → 1, non-decreasing;
    /// <see cref="DecayShape.None"/> stays at 0).</summary>
    public static double Progress(DecayShape shape, double t, double sharpness = DefaultSharpness, double stepAt = DefaultStepAt)
    {
        if (!(t >= 0 && t <= 1)) throw new ArgumentOutOfRangeException(nameof(t), t, "progress must be in [0, 1]");
        if (!(sharpness > 0) || double.IsInfinity(sharpness)) throw new ArgumentOutOfRangeException(nameof(sharpness), sharpness, "sharpness must be a finite number > 0");
        if (!(stepAt > 0 && stepAt <= 1)) throw new ArgumentOutOfRangeException(nameof(stepAt), stepAt, "step point must be in (0, 1]");
        return shape switch
        {
            DecayShape.Linear => t,
            DecayShape.Exponential => (1 - Math.Exp(-sharpness * t)) / (1 - Math.Exp(-sharpness)),
            DecayShape.InverseExponential => (Math.Exp(sharpness * t) - 1) / (Math.Exp(sharpness) - 1),
            DecayShape.Step => t >= stepAt ? 1 : 0,
            DecayShape.None => 0,
            _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, "unknown decay shape"),
        };
    }

    /// <summary>The value at progress t between <paramref name="start"/> and <paramref name="end"/>; exactly start at t = 0
    /// and (except for <see cref="DecayShape.None"/>) exactly end at t = 1.</summary>
    public static double Value(DecayShape shape, double start, double end, double t, double sharpness = DefaultSharpness, double stepAt = DefaultStepAt)
    {
        double f = Progress(shape, t, sharpness, stepAt);
        return f == 1 ? end : start + (end - start) * f;
    }

    /// <summary>Progress of stage <paramref name="index"/> (0-based) of <paramref name="count"/>: evenly spaced from 0 to 1;
    /// a single stage is the end (it trains on the final layout).</summary>
    public static double StageProgress(int index, int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "at least one stage");
        if (index < 0 || index >= count) throw new ArgumentOutOfRangeException(nameof(index), index, $"stage index must be in [0, {count})");
        return count == 1 ? 1 : (double)index / (count - 1);
    }

    public static string ToName(DecayShape shape) => shape switch
    {
        DecayShape.Linear => "linear",
        DecayShape.Exponential => "exponential",
        DecayShape.InverseExponential => "inverse-exponential",
        DecayShape.Step => "step",
        DecayShape.None => "none",
        _ => shape.ToString(),
    };

    /// <summary>Parses "linear", "exponential"/"exp", "inverse-exponential"/"inv-exp", "step", "none"/"constant".</summary>
    public static DecayShape Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "linear" => DecayShape.Linear,
        "exponential" or "exp" => DecayShape.Exponential,
        "inverse-exponential" or "inv-exp" or "inverse_exponential" => DecayShape.InverseExponential,
        "step" => DecayShape.Step,
        "none" or "constant" => DecayShape.None,
        _ => throw new ArgumentException($"unknown decay shape '{name}'; known: linear, exponential, inverse-exponential, step, none"),
    };
}
