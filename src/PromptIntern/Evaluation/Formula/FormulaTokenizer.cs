using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PromptIntern.Evaluation.Formula;

public enum FormulaTokenKind { Number, Text, Bool, Cell, Column, Function, Operator, LeftParen, RightParen, Comma, Colon, End }

/// <summary>One lexical unit of a formula, with its position in the source text.</summary>
public sealed record FormulaToken(FormulaTokenKind Kind, string Text, int Position);

/// <summary>Splits a formula into tokens. Accepts an optional leading <c>=</c>, strings in double quotes (<c>""</c> escapes a
/// quote) and, leniently, in single quotes; case-insensitive names and references.</summary>
public static partial class FormulaTokenizer
{
    [GeneratedRegex(@"^\$?[A-Za-z]{1,3}\$?[0-9]+$")] private static partial Regex CellPattern();
    [GeneratedRegex(@"^\$?[A-Za-z]{1,3}$")] private static partial Regex ColumnPattern();

    public static IReadOnlyList<FormulaToken> Tokenize(string formula)
    {
        var tokens = new List<FormulaToken>();
        int i = 0;
        string s = formula;
        while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
        if (i < s.Length && s[i] == '=') i++;
        while (i < s.Length)
        {
            char c = s[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            int start = i;
            if (c is '"' or '\'')
            {
                var sb = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= s.Length) throw new FormulaSyntaxException(formula, start, "unterminated string");
                    if (s[i] == c)
                    {
                        if (i + 1 < s.Length && s[i + 1] == c) { sb.Append(c); i += 2; continue; }
                        i++;
                        break;
                    }
                    sb.Append(s[i++]);
                }
                tokens.Add(new(FormulaTokenKind.Text, sb.ToString(), start));
                continue;
            }
            if (char.IsDigit(c) || (c == '.' && i + 1 < s.Length && char.IsDigit(s[i + 1])))
            {
                while (i < s.Length && (char.IsDigit(s[i]) || s[i] == '.')) i++;
                if (i < s.Length && s[i] is 'e' or 'E' && i + 1 < s.Length && (char.IsDigit(s[i + 1]) || s[i + 1] is '+' or '-'))
                {
                    i += 2;
                    while (i < s.Length && char.IsDigit(s[i])) i++;
                }
                // "2:2"-style row ranges are not supported; a digit run followed by letters is a syntax error below.
                var text = s[start..i];
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                    throw new FormulaSyntaxException(formula, start, $"bad number '{text}'");
                tokens.Add(new(FormulaTokenKind.Number, text, start));
                continue;
            }
            if (char.IsLetter(c) || c is '$' or '_')
            {
                while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] is '$' or '_' or '.')) i++;
                var word = s[start..i];
                int j = i;
                while (j < s.Length && char.IsWhiteSpace(s[j])) j++;
                if (j < s.Length && s[j] == '(' && !word.Contains('$')) tokens.Add(new(FormulaTokenKind.Function, word.ToUpperInvariant(), start));
                else if (CellPattern().IsMatch(word)) tokens.Add(new(FormulaTokenKind.Cell, word.ToUpperInvariant(), start));
                else if (ColumnPattern().IsMatch(word) && j < s.Length && s[j] == ':') tokens.Add(new(FormulaTokenKind.Column, word.ToUpperInvariant(), start));
                else if (ColumnPattern().IsMatch(word) && tokens.Count > 0 && tokens[^1].Kind == FormulaTokenKind.Colon) tokens.Add(new(FormulaTokenKind.Column, word.ToUpperInvariant(), start));
                else if (word.Equals("TRUE", StringComparison.OrdinalIgnoreCase) || word.Equals("FALSE", StringComparison.OrdinalIgnoreCase))
                    tokens.Add(new(FormulaTokenKind.Bool, word.ToUpperInvariant(), start));
                else throw new FormulaSyntaxException(formula, start, $"unknown name '{word}'");
                continue;
            }
            string? op = c switch
            {
                '<' when i + 1 < s.Length && s[i + 1] is '=' or '>' => s.Substring(i, 2),
                '>' when i + 1 < s.Length && s[i + 1] == '=' => ">=",
                '+' or '-' or '*' or '/' or '^' or '&' or '=' or '<' or '>' or '%' => c.ToString(),
                _ => null,
            };
            if (op != null) { tokens.Add(new(FormulaTokenKind.Operator, op, start)); i += op.Length; continue; }
            var kind = c switch
            {
                '(' => FormulaTokenKind.LeftParen, ')' => FormulaTokenKind.RightParen,
                ',' or ';' => FormulaTokenKind.Comma, ':' => FormulaTokenKind.Colon,
                _ => throw new FormulaSyntaxException(formula, start, $"unexpected character '{c}'"),
            };
            tokens.Add(new(kind, c.ToString(), start));
            i++;
        }
        tokens.Add(new(FormulaTokenKind.End, "", s.Length));
        return tokens;
    }
}
