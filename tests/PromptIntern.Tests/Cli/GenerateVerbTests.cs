using PromptIntern.Cli;
using PromptIntern.Data;
using PromptIntern.Tests.Modeling;
using Xunit;

namespace PromptIntern.Tests.Cli;

/// <summary>`generate --task`: predictions of a base model, or of base + adapter, in the file `eval` scores.</summary>
public class GenerateVerbTests
{
    [Fact]
    public void TaskPredictions_WithAnAdapter_AreScoredByEval()
    {
        var dir = Directory.CreateTempSubdirectory("pi-generate-").FullName;
        var fixtures = HfParityTests.Fixtures;
        var rows = Path.Combine(dir, "rows.jsonl");
        File.WriteAllLines(rows, File.ReadLines(KitPaths.Split("nl2bash", "dev")).Take(3));
        var preds = Path.Combine(dir, "preds.jsonl");
        // A PEFT adapter on its Llama fixture: loads and generates (the tokens are random; the plumbing is what counts).
        Assert.Equal(0, CliApp.Run(["generate", "--model", Path.Combine(fixtures, "models", "llama"), "--adapter", Path.Combine(fixtures, "peft", "llama-peft-made"),
            "--task", "nl2bash", "--eval-file", rows, "--predictions", preds, "--max-new-tokens", "4", "--device", "cpu"], new StringWriter()));
        Assert.Equal(3, File.ReadAllLines(preds).Length);
        Assert.Equal(0, CliApp.Run(["eval", "--task", "nl2bash", "--eval-file", rows, "--predictions", preds, "--out", Path.Combine(dir, "eval")], new StringWriter()));
        Assert.True(File.Exists(Path.Combine(dir, "eval", "summary.json")) || Directory.GetFiles(Path.Combine(dir, "eval")).Length > 0);

        var err = new StringWriter();
        Assert.Equal(2, CliApp.Run(["generate", "--model", KitPaths.TinyModel, "--task", "nl2bash"], err));
        Assert.Contains("--predictions", err.ToString());
        Directory.Delete(dir, true);
    }
}
