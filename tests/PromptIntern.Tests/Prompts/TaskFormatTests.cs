using System.Text.Json;
using PromptIntern.Data;
using PromptIntern.Prompts;
using Xunit;

namespace PromptIntern.Tests.Prompts;

public class TaskFormatTests
{
    static TaskExample Row(string json) => JsonlDataset.Parse("test.jsonl", 1, json);

    [Fact]
    public void Mbpp_QueryCarriesProblemAndAsserts_AnswerIsTheCode()
    {
        var e = Row("""{"id": "mbpp-2", "query": "Write a function to add.", "answer": "def add(a, b):\r\n    return a + b\r\n", "tests": ["assert add(1, 2) == 3", "assert add(0, 0) == 0"]}""");
        Assert.Equal("Write a function to add.\nYour code should pass these tests:\nassert add(1, 2) == 3\nassert add(0, 0) == 0", TaskFormat.QueryText("mbpp", e));
        Assert.Equal("def add(a, b):\n    return a + b", TaskFormat.AnswerText("mbpp", e));
    }

    [Fact]
    public void Nl2Bash_QueryAndAnswerAreTheTrimmedTexts()
    {
        var e = new TaskExample("b1", "  List all files. ", " ls -a \n");
        Assert.Equal("List all files.", TaskFormat.QueryText("nl2bash", e));
        Assert.Equal("ls -a", TaskFormat.AnswerText("nl2bash", e));
        Assert.Equal(new FewShotExample("List all files.", "ls -a"), TaskFormat.Shot("nl2bash", e));
    }

    [Fact]
    public void Nl2Formula_RendersTableWithExcelRowsAndColumnLetters()
    {
        var e = Row("""{"id": "f1", "query": "What is the total sales of East?", "answer": "=SUMIF(A2:A3,\"East\",B2:B3)", "table_name": "Sales", "table": [["Region", "Sales"], ["East", 10], ["West", null]]}""");
        Assert.Equal(
            "What is the total sales of East?\nTable: Sales\nrow | A | B\n1 | Region | Sales\n2 | East | 10\n3 | West | ",
            TaskFormat.QueryText("nl2formula", e));
        Assert.Equal("=SUMIF(A2:A3,\"East\",B2:B3)", TaskFormat.AnswerText("nl2formula", e));
    }

    [Theory]
    [InlineData(0, "A")]
    [InlineData(25, "Z")]
    [InlineData(26, "AA")]
    [InlineData(701, "ZZ")]
    [InlineData(702, "AAA")]
    public void ColumnLetter_FollowsExcel(int index, string letter) => Assert.Equal(letter, TaskFormat.ColumnLetter(index));

    [Theory]
    [InlineData("nl2bash", "find . -name '*.txt'\n\n### Query:\nnext one", "find . -name '*.txt'")]
    [InlineData("nl2bash", "```bash\nls -la\n```\nThis lists files.", "ls -la")]
    [InlineData("nl2bash", "  \n  wc -l a.txt  \nextra line", "wc -l a.txt")]
    [InlineData("nl2formula", "=SUM(B2:B9)\n### Answer:\n=MAX(B2:B9)", "=SUM(B2:B9)")]
    [InlineData("mbpp", "```python\ndef f(x):\n    return x\n```\n\n### Query:\nWrite", "def f(x):\n    return x")]
    [InlineData("mbpp", "```python\ndef f(x):\n    return x", "def f(x):\n    return x")]
    [InlineData("mbpp", "def f(x):\n    return x\n\n\n### Query:", "def f(x):\n    return x")]
    [InlineData("mbpp", "", "")]
    public void ExtractPrediction_CutsAtMarkersAndStripsFences(string task, string generated, string expected) =>
        Assert.Equal(expected, TaskFormat.ExtractPrediction(task, generated));

    [Fact]
    public void FirstShots_TakesTrainRowsInOrderAndSkipsTheQuery()
    {
        var pool = new[] { new TaskExample("a", "qa", "xa"), new TaskExample("b", "qb", "xb"), new TaskExample("c", "qc", "xc") };
        Assert.Equal(["qb", "qc"], FirstShots.Select("nl2bash", pool, 2, excludeId: "a").Select(s => s.Query));
        Assert.Empty(FirstShots.Select("nl2bash", pool, 0));
    }

    [Fact]
    public void UnknownTask_IsRejected() =>
        Assert.Throws<ArgumentException>(() => TaskFormat.QueryText("sql", new TaskExample("x", "q", "a")));
}
