using System.Text.RegularExpressions;

namespace PromptIntern.Compression;

/// <summary>Ready-made force-keep patterns for <see cref="CompressionRequest.ForceKeep"/>: the structure a
/// code prompt must not lose (LLMLingua's <c>force_tokens</c>, generalized to regexes).</summary>
public static class ForceKeep
{
    /// <summary>Code fence markers such as <c>```python</c> and <c>```</c>.</summary>
    public const string CodeFences = @"```[^\s`]*";

    /// <summary>Whole lines that start with <c>assert</c> (MBPP test cases).</summary>
    public const string AssertLines = @"(?m)^[ \t]*assert\b[^\n]*";

    /// <summary>Format markers such as <c>### Answer:</c> and <c>### Query:</c>.</summary>
    public const string FormatMarkers = @"###[ \t]*[A-Za-z][\w ]*:";

    /// <summary>Line breaks (LLMLingua-2's usual <c>force_tokens=["\n"]</c>).</summary>
    public const string Newlines = @"\n";

    /// <summary>Code fences, assert lines and format markers.</summary>
    public static readonly IReadOnlyList<string> PromptStructure = [CodeFences, AssertLines, FormatMarkers];

    /// <summary>Pattern matching a literal string.</summary>
    public static string Literal(string text) => Regex.Escape(text);
}
