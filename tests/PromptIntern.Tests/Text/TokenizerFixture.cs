using System.Text;
using PromptIntern.Text;

namespace PromptIntern.Tests.Text;

/// <summary>One small tokenizer trained once for the whole test class, on text shaped like the kit's corpus.</summary>
public sealed class TokenizerFixture
{
    public ModelTokenizer Tokenizer { get; } = ModelTokenizer.Train(Corpus(), vocabSize: 450);

    public static IEnumerable<string> Corpus()
    {
        string[] docs =
        [
            "### Query:\nFind all files named '*.txt' under the current directory.\n### Answer:\nfind . -name '*.txt'\n",
            "### Query:\nCount the lines of every Python file.\n### Answer:\nfind . -name '*.py' | xargs wc -l\n",
            "def add(a, b):\n    return a + b\n\n\nclass Counter:\n    def __init__(self):\n        self.count = 0\n",
            "The quick brown fox jumps over the lazy dog. Numbers: 12345 678 90.\n",
            "Überprüfung der Änderungen — naïve café. 東京は日本の首都です。 Привет, мир! 😀 👍\n",
        ];
        for (int i = 0; i < 40; i++)
            foreach (var d in docs) yield return d;
    }

    /// <summary>Random strings of valid Unicode scalars drawn from ranges that stress byte-level BPE.</summary>
    public static string RandomText(Random rng, int maxLength)
    {
        (int Lo, int Hi)[] ranges =
        [
            (0x20, 0x7E), (0x20, 0x7E), (0x00, 0x1F), (0x7F, 0xFF), (0x300, 0x36F), (0x400, 0x4FF),
            (0x4E00, 0x9FFF), (0xAC00, 0xD7A3), (0x2000, 0x206F), (0xE000, 0xF8FF), (0xFFF0, 0xFFFD),
            (0x1F300, 0x1FAFF), (0x10000, 0x10FFFF),
        ];
        var sb = new StringBuilder();
        int n = rng.Next(maxLength + 1);
        for (int i = 0; i < n; i++)
        {
            if (rng.Next(8) == 0) { sb.Append(rng.Next(3) switch { 0 => "\n", 1 => "\t", _ => new string(' ', rng.Next(1, 9)) }); continue; }
            var (lo, hi) = ranges[rng.Next(ranges.Length)];
            int cp = rng.Next(lo, hi + 1);
            if (cp is >= 0xD800 and <= 0xDFFF) cp = 'x';
            sb.Append(char.ConvertFromUtf32(cp));
        }
        return sb.ToString();
    }
}
