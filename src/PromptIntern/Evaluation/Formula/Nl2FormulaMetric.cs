using PromptIntern.Data;

namespace PromptIntern.Evaluation.Formula;

/// <summary>NL2Formula scores (0–100): <c>EM</c> (the paper's E.M.: the formula text equal after trimming),
/// <c>normalized_match</c> (equal after <see cref="FormulaNormalizer"/>) and <c>exec_match</c> (same value as the reference
/// on the row's table).</summary>
public sealed class Nl2FormulaMetric() : PerExampleMetric(TaskName.Nl2Formula, [ExactName, NormalizedName, ExecName])
{
    public const string ExactName = "EM", NormalizedName = "normalized_match", ExecName = "exec_match";

    protected override ExampleScore ScoreExample(TaskExample reference, string pred)
    {
        string gold = reference.Answer.Trim();
        bool exact = pred == gold;
        var predNorm = FormulaNormalizer.Normalize(pred);
        var goldNorm = FormulaNormalizer.Normalize(gold);
        bool normalized = exact || (predNorm != null && predNorm == goldNorm);
        var (exec, detail) = ExecutionMatch(reference, pred, gold);
        return new ExampleScore(reference.Id, pred, gold, new Dictionary<string, double>
        {
            [ExactName] = exact ? 1 : 0, [NormalizedName] = normalized ? 1 : 0, [ExecName] = exec ?? normalized ? 1 : 0,
        }, detail);
    }

    /// <summary>Whether the prediction computes the reference's value; null when the reference itself cannot be run
    /// (then exec_match falls back to normalized_match, and the detail says so).</summary>
    static (bool? Match, string Detail) ExecutionMatch(TaskExample reference, string prediction, string gold)
    {
        Sheet sheet;
        try { sheet = Nl2FormulaRecords.Sheet(reference); }
        catch (ArgumentException e) { return (null, e.Message); }
        object? expected;
        try { expected = FormulaEvaluator.Evaluate(gold, sheet); }
        catch (FormulaSyntaxException e) { return (null, "reference does not parse: " + e.Message); }
        if (expected is FormulaError err) return (null, $"reference evaluates to {err.Code}");
        object? actual;
        try { actual = FormulaEvaluator.Evaluate(prediction, sheet); }
        catch (FormulaSyntaxException e) { return (false, "prediction does not parse: " + e.Message); }
        bool same = FormulaValue.Same(actual, expected);
        return (same, same ? $"value {FormulaValue.Format(actual)}" : $"value {FormulaValue.Format(actual)} ≠ {FormulaValue.Format(expected)}");
    }
}
