using System.Text.Json;
using PromptIntern.Cli;
using PromptIntern.Curriculum;
using PromptIntern.Data;
using PromptIntern.Tests.Curriculum;
using PromptIntern.Text;
using Xunit;

namespace PromptIntern.Tests.Cli;

public class CurriculumVerbTests
{
    static string Fixture(out string train, out string templates)
    {
        var dir = Directory.CreateTempSubdirectory("curriculum-cli-").FullName;
        train = Path.Combine(dir, "train.jsonl");
        JsonlDataset.Save(train, CurriculumFixture.Train(12));
        templates = Path.Combine(dir, "templates");
        Directory.CreateDirectory(templates);
        File.WriteAllText(Path.Combine(templates, "nl2bash.md"), CurriculumFixture.Template);
        return dir;
    }

    [Fact]
    public void Curriculum_WritesOneValidFilePerStage_PlanAndSummary()
    {
        var dir = Fixture(out var train, out var templates);
        var outDir = Path.Combine(dir, "out");
        var console = new StringWriter();
        int rc = CliApp.Run(["curriculum", "--task", "nl2bash", "--out", outDir, "--train-file", train, "--eval-file", train,
            "--templates", templates, "--format", "trl", "--train-price", "3", "--compressor", "truncate"], console);

        Assert.True(rc == 0, console.ToString());
        Assert.Contains("fewer", console.ToString());
        var stageFiles = Directory.GetFiles(outDir, "stage*.jsonl").Order().ToArray();
        Assert.Equal(["stage1_tr1_k3.jsonl", "stage2_tr0.6_k2.jsonl", "stage3_tr0.3_k1.jsonl", "stage4_tr0_k0.jsonl"], stageFiles.Select(Path.GetFileName));
        foreach (var f in stageFiles)
            Assert.True(FineTuneValidator.ValidateFile(f, FineTuneFormat.Trl, CostTokenizer.O200k).IsValid);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        Assert.Equal(4, summary.RootElement.GetProperty("stages").GetArrayLength());
        Assert.Equal("trl", summary.RootElement.GetProperty("format").GetString());
        Assert.True(summary.RootElement.GetProperty("run").GetProperty("commit").GetString()!.Length > 0);
        Assert.True(File.Exists(Path.Combine(outDir, "summary.md")));
        Assert.Equal("default", PromptIntern.Scheduling.PlanJson.Load(Path.Combine(outDir, "plan.json")).Name);
    }

    [Fact]
    public void Curriculum_BadPlanFile_FailsNamingTheField_AndWritesNoStage()
    {
        var dir = Fixture(out var train, out var templates);
        var plan = Path.Combine(dir, "bad.json");
        File.WriteAllText(plan, """{"name": "bad", "stages": [{"template_rate": 1.0, "shots": 1, "shot": 2}]}""");
        var outDir = Path.Combine(dir, "out");
        var console = new StringWriter();
        int rc = CliApp.Run(["curriculum", "--task", "nl2bash", "--out", outDir, "--plan", plan, "--train-file", train, "--eval-file", train,
            "--templates", templates, "--compressor", "truncate"], console);
        Assert.Equal(CliErrors.UserError, rc);
        Assert.Contains("bad.json", console.ToString());
        Assert.Contains("field 'stages[0].shot'", console.ToString());
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void AbsorbShow_PrintsTheQueryAndItsRetrievedExamples()
    {
        var dir = Fixture(out var train, out _);
        var console = new StringWriter();
        int rc = CliApp.Run(["absorb", "show", "--task", "nl2bash", "--id", "t04", "--shots", "2", "--train-file", train, "--eval-file", train], console);
        Assert.True(rc == 0, console.ToString());
        var text = console.ToString();
        Assert.Contains("Find files named file4.txt under dir1", text);
        Assert.Contains("2 examples by bm25", text);
        Assert.DoesNotContain("│ t04", text);
    }
}
