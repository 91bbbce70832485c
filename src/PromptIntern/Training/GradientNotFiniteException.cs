namespace PromptIntern.Training;

/// <summary>A step's gradient norm was NaN or infinite; thrown before the weights change (the loop names the step).</summary>
public sealed class GradientNotFiniteException(double norm) : Exception($"gradient norm {norm}")
{
    public double Norm { get; } = norm;
}
