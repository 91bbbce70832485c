using PromptIntern.Data;
using PromptIntern.Evaluation.Cost;
using Xunit;

namespace PromptIntern.Tests.Evaluation.Cost;

public class PriceTableTests
{
    const string Entry = """
        {"model": "m", "display": "M", "base_model": "m-base", "fine_tuned": true, "tokenizer": "cl100k_base",
         "input_per_1m": 3.0, "output_per_1m": 6.0, "source": "a page", "as_of": "2024-07-01"}
        """;

    static string Table(string models) => $$"""{"currency": "USD", "models": [{{models}}]}""";

    [Fact]
    public void Default_HoldsThePaperEraPricesWithSources()
    {
        var t = PriceTable.Default;
        var ft = t.Get("gpt-3.5-turbo-ft");
        Assert.Equal((3.00, 6.00, true, "cl100k_base"), (ft.InputPerMillion, ft.OutputPerMillion, ft.FineTuned, ft.Tokenizer));
        Assert.Equal((30.00, 60.00), (t.Get("gpt-4").InputPerMillion, t.Get("gpt-4").OutputPerMillion));
        Assert.Equal((3.75, 15.00, "o200k_base"), (t.Get("gpt-4o-ft").InputPerMillion, t.Get("gpt-4o-ft").OutputPerMillion, t.Get("gpt-4o-ft").Tokenizer));
        Assert.Equal((0.30, 1.20), (t.Get("gpt-4o-mini-ft").InputPerMillion, t.Get("gpt-4o-mini-ft").OutputPerMillion));
        Assert.All(t.Models, m => Assert.False(string.IsNullOrWhiteSpace(m.Source)));
        Assert.All(t.Models, m => Assert.InRange(m.AsOf, new DateOnly(2023, 1, 1), new DateOnly(2026, 12, 31)));
    }

    [Fact]
    public void Get_UnknownModel_ListsKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => PriceTable.Default.Get("gpt-9"));
        Assert.Contains("gpt-3.5-turbo-ft", e.Message);
    }

    [Theory]
    [InlineData("\"source\": \"a page\", ", "", "models[0].source", "missing")]
    [InlineData("\"as_of\": \"2024-07-01\"", "\"as_of\": \"July 2024\"", "models[0].as_of", "yyyy-MM-dd")]
    [InlineData("\"input_per_1m\": 3.0", "\"input_per_1m\": -1", "models[0].input_per_1m", "non-negative")]
    [InlineData("\"output_per_1m\": 6.0", "\"output_per_1m\": \"6\"", "models[0].output_per_1m", "non-negative")]
    [InlineData("\"tokenizer\": \"cl100k_base\"", "\"tokenizer\": \"gpt2\"", "models[0].tokenizer", "unknown tokenizer")]
    [InlineData("\"fine_tuned\": true", "\"fine_tuned\": true, \"discount\": 1", "models[0].discount", "unknown field")]
    public void Load_BadEntry_NamesFileAndField(string find, string replace, string field, string problem)
    {
        using var dir = new TempDir();
        var path = dir.Write("prices.json", Table(Entry.Replace(find, replace)));
        var e = Assert.Throws<DataFormatException>(() => PriceTable.Load(path));
        Assert.Equal((path, field), (e.File, e.Field));
        Assert.Contains(problem, e.Problem);
    }

    [Fact]
    public void Load_DuplicateModelAndMalformedJson_AreErrors()
    {
        using var dir = new TempDir();
        var dup = Assert.Throws<DataFormatException>(() => PriceTable.Load(dir.Write("dup.json", Table(Entry + "," + Entry))));
        Assert.Equal("models[1].model", dup.Field);
        var bad = Assert.Throws<DataFormatException>(() => PriceTable.Load(dir.Write("bad.json", "{\"currency\": \"USD\",\n \"models\": [")));
        Assert.Equal("(json)", bad.Field);
        Assert.Equal(2, bad.Line);
    }
}
