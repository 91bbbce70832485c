using PromptIntern.Data;
using PromptIntern.Examples;
using Xunit;
using static PromptIntern.Tests.Modeling.ModelingTestHelpers;

namespace PromptIntern.Tests.Examples;

public class ReadmeExampleTests
{
    static string ExampleFile => Path.Combine(KitPaths.Root, "examples", "library", "LibraryExample.cs");

    /// <summary>The lines between the example's readme markers, unindented as the README shows them.</summary>
    static string ExampleBody()
    {
        var lines = File.ReadAllLines(ExampleFile);
        int begin = Array.FindIndex(lines, l => l.Trim() == "// readme:begin"), end = Array.FindIndex(lines, l => l.Trim() == "// readme:end");
        Assert.True(begin >= 0 && end > begin, "readme markers in " + ExampleFile);
        var body = lines[(begin + 1)..end];
        var indent = body.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Join("\n", body.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
    }

    [Fact]
    public void Readme_ShowsTheCompiledLibraryExample_Verbatim()
    {
        var readme = File.ReadAllText(Path.Combine(KitPaths.Root, "README.md")).Replace("\r\n", "\n");
        Assert.Contains("```csharp\n" + ExampleBody() + "\n```", readme);
    }

    [Fact]
    public void LibraryExample_TrainsTheTinyModel_AndScoresQueriesAlone()
    {
        var report = LibraryExample.Run(TempDir(), trainRows: 16, devRows: 3);
        Assert.Equal(3, report.Examples.Count);
        Assert.InRange(report.Metrics["BLEU"], 0, 100);
    }
}
