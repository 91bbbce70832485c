using PromptIntern.Cli;
using PromptIntern.Cli.Verbs;
using PromptIntern.Data;
using PromptIntern.Evaluation;
using Xunit;

namespace PromptIntern.Tests.Evaluation;

public sealed class PredictionFileTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("preds-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    string Write(string name, params string[] lines)
    {
        var p = Path.Combine(_dir, name);
        File.WriteAllLines(p, lines);
        return p;
    }

    static readonly TaskExample[] Refs = [new("a", "q", "ls -l"), new("b", "q", "pwd")];

    [Fact]
    public void Align_ReturnsPredictionsInReferenceOrder()
    {
        var p = Write("p.jsonl", "{\"id\":\"b\",\"prediction\":\"pwd\"}", "{\"id\":\"a\",\"prediction\":\"ls\"}");
        Assert.Equal(["ls", "pwd"], PredictionFile.Align(Refs, PredictionFile.Load(p), p, "refs.jsonl"));
    }

    [Fact]
    public void MissingAndExtraIds_AreRejected_NamingFileAndIds()
    {
        var p = Write("p.jsonl", "{\"id\":\"a\",\"prediction\":\"ls\"}", "{\"id\":\"zz\",\"prediction\":\"x\"}");
        var e = Assert.Throws<DataFormatException>(() => PredictionFile.Align(Refs, PredictionFile.Load(p), p, "refs.jsonl"));
        Assert.Contains(p, e.Message);
        Assert.Contains("refs.jsonl have no prediction: b", e.Message);
        Assert.Contains("not in refs.jsonl: zz", e.Message);
    }

    [Fact]
    public void InvalidUtf8_IsRejected_NamingTheLine_NotReplacedSilently()
    {
        var p = Path.Combine(_dir, "bad-utf8.jsonl");
        var good = System.Text.Encoding.UTF8.GetBytes("\uFEFF{\"id\":\"a\",\"prediction\":\"ls — é\"}\r\n");
        var bad = System.Text.Encoding.UTF8.GetBytes("{\"id\":\"b\",\"prediction\":\"pw\"}\n");
        bad[25] = 0xFF; // inside the prediction string
        File.WriteAllBytes(p, [.. good, .. bad]);
        var e = Assert.Throws<DataFormatException>(() => PredictionFile.Load(p));
        Assert.Equal(2, e.Line);
        Assert.Contains("invalid UTF-8", e.Message);
        File.WriteAllBytes(p, good); // a BOM, CRLF and real non-ASCII text are fine
        Assert.Equal("ls — é", PredictionFile.Load(p)["a"]);
    }

    [Fact]
    public void BadLines_AreRejected_WithLineAndField()
    {
        var dup = Write("dup.jsonl", "{\"id\":\"a\",\"prediction\":\"ls\"}", "{\"id\":\"a\",\"prediction\":\"ls\"}");
        var e = Assert.Throws<DataFormatException>(() => PredictionFile.Load(dup));
        Assert.Equal((2, "id"), (e.Line, e.Field));
        var noPred = Write("nopred.jsonl", "{\"id\":\"a\"}");
        Assert.Equal("prediction", Assert.Throws<DataFormatException>(() => PredictionFile.Load(noPred)).Field);
    }

    [Fact]
    public void EvalVerb_WritesSummaryAndExamples_WithProvenance()
    {
        var refs = Write("refs.jsonl", Refs.Select(JsonlDataset.ToJson).ToArray());
        var preds = Write("preds.jsonl", "{\"id\":\"a\",\"prediction\":\"ls -l\"}", "{\"id\":\"b\",\"prediction\":\"pwd -P\"}");
        var outDir = Path.Combine(_dir, "out");
        int code = new EvalVerb().Build().Parse(["--task", "nl2bash", "--eval-file", refs, "--predictions", preds, "--out", outDir]).Invoke();
        Assert.Equal(0, code);
        var summary = File.ReadAllText(Path.Combine(outDir, "summary.json"));
        Assert.Contains("\"BLEU\"", summary);
        Assert.Contains("\"commit\"", summary);
        Assert.Contains("\"date_utc\"", summary);
        Assert.Contains("\"hostname\"", summary);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(outDir, "examples.jsonl")).Length);
        Assert.StartsWith("task,examples,BLEU,command_acc,template_acc,commit", File.ReadAllText(Path.Combine(outDir, "summary.csv")));
        Assert.Contains("| nl2bash | 2 |", File.ReadAllText(Path.Combine(outDir, "summary.md")));

        var extra = Write("extra.jsonl", "{\"id\":\"a\",\"prediction\":\"ls -l\"}", "{\"id\":\"b\",\"prediction\":\"pwd\"}", "{\"id\":\"c\",\"prediction\":\"x\"}");
        Assert.Equal(2, CliApp.Run(["eval", "--task", "nl2bash", "--eval-file", refs, "--predictions", extra, "--out", Path.Combine(_dir, "out2")], TextWriter.Null));
        Assert.False(Directory.Exists(Path.Combine(_dir, "out2")));
    }
}
