using System.Text.RegularExpressions;

namespace PromptIntern.Text;

/// <summary>The regex that splits text into pre-tokens before BPE, for training and encoding alike
/// (a merge never crosses a pre-token boundary).</summary>
public static class PreTokenizerPattern
{
    /// <summary>GPT-2's pattern with two changes taken from cl100k, because shell commands and code dominate our corpus:
    /// digits go in groups of at most three, and line breaks (with the indentation before them) split off on their own.
    /// Every character of any input falls in exactly one match, so nothing is lost.</summary>
    public const string Default =
        @"'(?:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>GPT-2's original pattern, used when a Hugging Face tokenizer.json asks for ByteLevel's built-in regex.</summary>
    public const string Gpt2 = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <summary>Compiles a pattern the way both the trainer and the runtime tokenizer use it.</summary>
    public static Regex Compile(string pattern) => new(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);
}
