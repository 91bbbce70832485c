using System.Text.RegularExpressions;
using PromptIntern.Data;

namespace PromptIntern.Evaluation.Mbpp;

/// <summary>MBPP <c>pass@1</c> (0–100): each prediction runs with its test setup and the problem's asserts in the
/// <see cref="PythonSandbox"/>; it passes when the sandbox's harness proves the program ran past its last assert.</summary>
public sealed partial class MbppMetric(SandboxOptions options) : ITaskMetric
{
    public const string PassAt1Name = "pass@1";

    public string Task => TaskName.Mbpp;
    public IReadOnlyList<string> MetricNames => [PassAt1Name];

    /// <summary>The isolation the last <see cref="Score"/> used (null before the first call).</summary>
    public SandboxIsolation? LastIsolation { get; private set; }

    /// <summary>Called after each program finishes with the number done so far (for progress bars).</summary>
    public Action<int>? Progress { get; init; }

    public MetricReport Score(IReadOnlyList<TaskExample> references, IReadOnlyList<string> predictions)
    {
        TaskMetrics.CheckAligned(references, predictions);
        var sandbox = new PythonSandbox(options);
        LastIsolation = sandbox.Isolation;
        var programs = references.Select((r, i) => (r.Id, BuildParts(r, predictions[i]))).ToList();
        var results = sandbox.RunAll(programs, Progress);
        var examples = results.Select((res, i) => new ExampleScore(res.Id, predictions[i], references[i].Answer,
            new Dictionary<string, double> { [PassAt1Name] = res.Passed ? 1 : 0, ["duration_s"] = res.Duration.TotalSeconds },
            res.Reason == SandboxReason.Passed ? "passed" : $"{res.Reason}: {res.Summary}")
        {
            Fields = new Dictionary<string, string> { ["reason"] = res.Reason, ["stdout"] = res.Stdout, ["stderr"] = res.Stderr },
        }).ToList();
        double pass = examples.Count == 0 ? 0 : 100.0 * examples.Average(e => e.Scores[PassAt1Name]);
        return new MetricReport(Task, new Dictionary<string, double> { [PassAt1Name] = pass }, examples);
    }

    /// <summary>The program that decides pass/fail, as parts the sandbox compiles one by one (so the code cannot change
    /// how the asserts are read) and runs in one namespace: the predicted code, the test setup (after the code: MBPP's
    /// setup may use the solution's classes, e.g. mbpp-927 builds a tree of its <c>Node</c>), then the asserts.</summary>
    public static IReadOnlyList<(string Name, string Source)> BuildParts(TaskExample problem, string prediction)
    {
        var parts = new List<(string, string)> { ("prog.py", ExtractCode(prediction)) };
        if (!string.IsNullOrWhiteSpace(problem.TestSetup)) parts.Add(("setup.py", problem.TestSetup + "\n"));
        parts.Add(("tests.py", string.Join('\n', problem.Tests) + "\n"));
        return parts;
    }

    /// <summary>The code inside the first ```python fence (or any ``` fence), else the text as given.</summary>
    public static string ExtractCode(string prediction)
    {
        var m = Fence().Match(prediction);
        return m.Success ? m.Groups[1].Value : prediction;
    }

    [GeneratedRegex(@"```(?:python|py)?[ \t]*\r?\n(.*?)(?:```|$)", RegexOptions.Singleline)]
    private static partial Regex Fence();
}
