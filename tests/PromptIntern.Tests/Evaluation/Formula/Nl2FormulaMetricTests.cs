using PromptIntern.Data;
using PromptIntern.Evaluation;
using PromptIntern.Evaluation.Formula;
using Xunit;

namespace PromptIntern.Tests.Evaluation.Formula;

public sealed class Nl2FormulaMetricTests
{
    static readonly IReadOnlyList<IReadOnlyList<string>> Table =
    [
        ["Name", "Region", "Units"], ["Ann", "North", "10"], ["Bob", "South", "20"], ["Cid", "North", "30"],
    ];

    [Theory]
    [InlineData("=SUM(A2:A10)", "=sum(a2:a10)")]
    [InlineData("=SUM($A$2:$A$10)", "=SUM(A$2:A$10)")]
    [InlineData("=SUM( A2 : A10 )", "SUM(A2:A10)")]
    [InlineData("=COUNTIF(B2:B6,'North')", "=COUNTIF(B2:B6,\"North\")")]
    [InlineData("=SUM(A10:A2)", "=SUM(A2:A10)")]
    [InlineData("=(A2+B2)", "=A2+B2")]
    public void Normalizer_TreatsFormattingVariantsAsEqual(string a, string b) =>
        Assert.Equal(FormulaNormalizer.Normalize(a), FormulaNormalizer.Normalize(b));

    [Theory]
    [InlineData("=(A2+B2)*2", "=A2+B2*2")]
    [InlineData("=COUNTIF(B2:B6,\"North\")", "=COUNTIF(B2:B6,\"north\")")] // string contents are kept as written
    [InlineData("=SUM(A2:A10)", "=SUM(A2:A11)")]
    public void Normalizer_KeepsRealDifferences(string a, string b) =>
        Assert.NotEqual(FormulaNormalizer.Normalize(a), FormulaNormalizer.Normalize(b));

    [Fact]
    public void Metric_SeparatesExactNormalizedAndExecutionMatch()
    {
        var reference = Nl2FormulaRecords.Create("r", "Total units in the North?", "=SUMIF(B2:B4,\"North\",C2:C4)", Table, "Sales", "easy");
        var refs = Enumerable.Repeat(reference, 5).ToList();
        var preds = new[]
        {
            "=SUMIF(B2:B4,\"North\",C2:C4)",          // exact
            "=sumif(B$2:B$4, \"North\", C2:C4)",      // normalized
            "=SUMIFS(C2:C4,B2:B4,\"North\")",         // same value only
            "=SUM(C2:C4)",                            // wrong
            "=SUMIF(B2:B4,",                          // does not parse
        };
        var report = TaskMetrics.For("nl2formula").Score(refs, preds);
        Assert.Equal([1.0, 0, 0, 0, 0], report.Examples.Select(e => e.Scores["EM"]));
        Assert.Equal([1.0, 1, 0, 0, 0], report.Examples.Select(e => e.Scores["normalized_match"]));
        Assert.Equal([1.0, 1, 1, 0, 0], report.Examples.Select(e => e.Scores["exec_match"]));
        Assert.Equal(20, report.Metrics["EM"], 9);
        Assert.Equal(40, report.Metrics["normalized_match"], 9);
        Assert.Equal(60, report.Metrics["exec_match"], 9);
    }

    [Fact]
    public void ReadOriginal_MapsNl2FormulaRecords_ToKitRows()
    {
        var dir = Directory.CreateTempSubdirectory("nl2f-orig-").FullName;
        try
        {
            var path = Path.Combine(dir, "valid.json");
            File.WriteAllText(path, """
                [{"Table_name": "Scores", "Question": "Highest score?", "Formula": "=MAX(B2:B3)", "Level": "1",
                  "Table": [["Name", "Score"], ["Ann", "7"], ["Bob", "9"]]},
                 {"Table_name": "Scores", "Question": "How many names?", "Formula": "=COUNTA(A2:A3)", "Level": 2,
                  "Table": [["Name", "Score"], ["Ann", "7"], ["Bob", null]]}]
                """);
            var rows = Nl2FormulaRecords.ReadOriginal(path);
            Assert.Equal(["nl2f-valid-00000", "nl2f-valid-00001"], rows.Select(r => r.Id));
            Assert.Equal("=MAX(B2:B3)", rows[0].Answer);
            Assert.Equal("Highest score?", rows[0].Query);
            Assert.Equal("Scores", rows[0].Extra["table_name"].GetString());
            Assert.Equal("2", rows[1].Extra["level"].GetString());
            Assert.Equal("", Nl2FormulaRecords.Table(rows[1])[2][1]);
            Assert.Equal("9", FormulaValue.Format(FormulaEvaluator.Evaluate(rows[0].Answer, Nl2FormulaRecords.Sheet(rows[0]))));

            File.WriteAllText(path, "{\"Table_name\": \"T\", \"Question\": \"q\", \"Formula\": \"=1\", \"Level\": \"1\"}\n");
            var e = Assert.Throws<DataFormatException>(() => Nl2FormulaRecords.ReadOriginal(path));
            Assert.Equal("Table", e.Field);
            Assert.Equal(1, e.Line);
        }
        finally { Directory.Delete(dir, true); }
    }
}
