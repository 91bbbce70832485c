using System.Text;
using PromptIntern.Compression;
using PromptIntern.Data;

namespace PromptIntern.Tests.Compression;

/// <summary>Shared by the compression tests: the fallback n-gram scorer trained on the repo's train splits, and a
/// realistic long template (instructions plus MBPP worked examples with code fences and asserts).</summary>
public static class CompressionFixture
{
    static readonly Lazy<NGramTokenScorer> LazyScorer = new(() => NGramTokenScorer.TrainOnTaskData(KitPaths.Data));
    static readonly Lazy<string> LazyTemplate = new(BuildTemplate);

    public static NGramTokenScorer Scorer => LazyScorer.Value;

    /// <summary>About two thousand o200k tokens of template text.</summary>
    public static string LongTemplate => LazyTemplate.Value;

    public const string ShortPrompt = "Write a Python function that returns the sum of the squares of a list of integers.";

    public static string NonAscii =>
        "Écrivez une fonction qui renvoie la somme des carrés. 请写一个函数，返回列表中所有数字的平方和。" +
        " Ünïcödé naïve café 👩‍💻 déjà-vu — «guillemets» 😀 emoji 🇫🇷 flags. Функция должна вернуть сумму квадратов. " +
        "日本語のテキストも含まれています。 Όλα καλά, ευχαριστώ πολύ!";

    public static IEnumerable<IPromptCompressor> AllCompressors() =>
        Compressors.Methods.Select(m => Compressors.Create(m, Scorer));

    static string BuildTemplate()
    {
        var sb = new StringBuilder();
        sb.Append("You are an expert Python programmer. Write a Python function that solves the problem below and passes ")
          .Append("the given test cases. Use only the standard library. Name the function exactly as the tests call it, ")
          .Append("keep the argument order the tests use, and return the value instead of printing it.\n\n")
          .Append("## Output format\nAnswer with the code only, inside one ```python fence, directly after \"### Answer:\".\n\n");
        foreach (var ex in JsonlDataset.Load(KitPaths.Split(TaskName.Mbpp, "train")).Take(14))
        {
            sb.Append("### Query:\n").Append(ex.Query).Append('\n');
            foreach (var t in ex.Tests) sb.Append(t).Append('\n');
            sb.Append("### Answer:\n```python\n").Append(ex.Answer.Trim()).Append("\n```\n\n");
        }
        return sb.ToString().Trim();
    }
}
