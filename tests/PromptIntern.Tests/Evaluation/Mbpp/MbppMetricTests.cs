using PromptIntern.Data;
using PromptIntern.Evaluation;
using PromptIntern.Evaluation.Mbpp;
using Xunit;

namespace PromptIntern.Tests.Evaluation.Mbpp;

[Collection("sandbox")]
public sealed class MbppMetricTests
{
    [Fact]
    public void PassAt1_CountsProgramsThatPassTheirAsserts()
    {
        var problem = JsonlDataset.Parse("inline", 1,
            """{"id": "mbpp-x", "query": "add", "answer": "def add(a, b):\n    return a + b", "tests": ["assert add(1, 2) == 3", "assert add(0, 0) == 0"], "test_setup": "import math"}""");
        var refs = new[] { problem, problem, problem };
        var preds = new[] { "```python\ndef add(a, b):\n    return a + b\n```", "def add(a, b):\n    return a * b", "def add(a, b) return" };
        var report = TaskMetrics.For("mbpp").Score(refs, preds);
        Assert.Equal(100.0 / 3, report.Metrics["pass@1"], 9);
        Assert.Equal(["passed", "failed", "failed"], report.Examples.Select(e => e.Fields["reason"]));
        Assert.Contains("SyntaxError", report.Examples[2].Fields["stderr"]);
    }

    [Fact]
    public void ReferenceSolutions_Pass_IncludingOneWhoseSetupUsesTheSolution()
    {
        var dev = JsonlDataset.Load(KitPaths.Split(TaskName.Mbpp, "dev")).Take(8)
            .Append(JsonlDataset.Load(KitPaths.Split(TaskName.Mbpp, "train")).Single(e => e.Id == "mbpp-927")).ToList();
        var report = new MbppMetric(new SandboxOptions()).Score(dev, dev.Select(d => d.Answer).ToList());
        Assert.Equal(100, report.Metrics["pass@1"]);
    }

    [Fact]
    public void BuildParts_PutsCodeThenSetupThenAsserts()
    {
        var p = JsonlDataset.Parse("inline", 1, """{"id": "m", "query": "q", "answer": "a", "tests": ["assert f() == 1"], "test_setup": "import os"}""");
        Assert.Equal([("prog.py", "def f(): return 1"), ("setup.py", "import os\n"), ("tests.py", "assert f() == 1\n")],
            MbppMetric.BuildParts(p, "```python\ndef f(): return 1```"));
    }

    [Fact]
    public void TheCodesCodingCookie_DoesNotChangeHowTheAssertsAreRead()
    {
        // Compiled together, UTF-7 would read "+AD0APQ-" in the assert as "==" and the assert would pass.
        var problem = JsonlDataset.Parse("inline", 1,
            """{"id": "mbpp-x", "query": "add", "answer": "a", "tests": ["assert add(1, 2) +AD0APQ- 3"]}""");
        var report = TaskMetrics.For("mbpp").Score([problem], ["# coding: utf-7\ndef add(a, b):\n    return sum((a, b))"]);
        Assert.Equal(0, report.Metrics["pass@1"]);
        Assert.Contains("NameError: name 'AD0APQ' is not defined", report.Examples[0].Fields["stderr"]);
    }
}
