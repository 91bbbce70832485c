using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PromptIntern.Evaluation.Formula;

/// <summary>A COUNTIF/SUMIFS-style criterion: a value (equality) or a string such as <c>"&gt;=10"</c>, <c>"&lt;&gt;Paid"</c>,
/// <c>"North"</c>, <c>"A*"</c> (wildcards * ? with ~ escape; text matched without case).</summary>
sealed class Criterion
{
    readonly string _op;
    readonly object? _operand; // double, string, bool, or null for "empty"
    readonly Regex? _wildcard;

    Criterion(string op, object? operand)
    {
        _op = op;
        _operand = operand;
        if (operand is string s && op is "=" or "<>" && (s.Contains('*') || s.Contains('?')))
            _wildcard = new Regex("^" + WildcardToRegex(s) + "$", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant);
    }

    public static Criterion From(object? value)
    {
        switch (value)
        {
            case double or bool: return new Criterion("=", value);
            case null: return new Criterion("=", null);
            case string s:
                string op = "=";
                foreach (var candidate in new[] { ">=", "<=", "<>", ">", "<", "=" })
                    if (s.StartsWith(candidate, StringComparison.Ordinal)) { op = candidate; s = s[candidate.Length..]; break; }
                if (s.Length == 0) return new Criterion(op, null);
                if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return new Criterion(op, d);
                if (s.Equals("TRUE", StringComparison.OrdinalIgnoreCase) || s.Equals("FALSE", StringComparison.OrdinalIgnoreCase))
                    return new Criterion(op, s.Equals("TRUE", StringComparison.OrdinalIgnoreCase));
                return new Criterion(op, s);
            default: return new Criterion("=", FormulaValue.Format(value));
        }
    }

    public bool Matches(object? cell)
    {
        if (_operand is null) return _op switch { "=" => cell is null || cell is "", "<>" => !(cell is null || cell is ""), _ => false };
        bool sameKind = (_operand, cell) switch { (double, double) => true, (string, string) => true, (bool, bool) => true, _ => false };
        if (_op == "<>") return !sameKind || !Equal(cell);
        if (!sameKind) return false;
        if (_op == "=") return Equal(cell);
        int c = Coerce.Compare(cell, _operand);
        return _op switch { ">" => c > 0, ">=" => c >= 0, "<" => c < 0, "<=" => c <= 0, _ => false };
    }

    bool Equal(object? cell) => _wildcard != null ? _wildcard.IsMatch((string)cell!) : Coerce.Compare(cell, _operand) == 0;

    /// <summary>Excel wildcards: * any run, ? one character, ~ escapes the next character.</summary>
    public static string WildcardToRegex(string pattern)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '~' && i + 1 < pattern.Length) sb.Append(Regex.Escape(pattern[++i].ToString()));
            else if (c == '*') sb.Append(".*");
            else if (c == '?') sb.Append('.');
            else sb.Append(Regex.Escape(c.ToString()));
        }
        return sb.ToString();
    }
}
