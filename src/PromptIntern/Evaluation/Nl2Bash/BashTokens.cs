using System.Text.RegularExpressions;

namespace PromptIntern.Evaluation.Nl2Bash;

/// <summary>Splits a shell command into BLEU tokens: whitespace separates words, and every shell punctuation character
/// (<c>| ; &amp; &gt; &lt; ( ) ' " = ` $ { } , \</c>) is a token of its own. Ours: NL2Bash papers tokenize with bashlex
/// or split on spaces; splitting punctuation too makes <c>ls|wc</c> and <c>ls | wc</c> score alike.</summary>
public static partial class BashTokens
{
    public const string Punctuation = "|;&><()'\"=`${},\\";

    [GeneratedRegex(@"[|;&><()'""=`${},\\]|[^\s|;&><()'""=`${},\\]+")]
    private static partial Regex TokenPattern();

    public static IReadOnlyList<string> Split(string command) =>
        TokenPattern().Matches(command).Select(m => m.Value).ToList();

    /// <summary>The command with whitespace ignored between punctuation: the token sequence joined by single spaces.</summary>
    public static string Normalize(string command) => string.Join(' ', Split(command));
}
