using System.Globalization;

namespace PromptIntern.Evaluation.Formula;

/// <summary>Excel's conversions between value kinds, and its comparison order (numbers &lt; text &lt; logicals; text
/// compared without case).</summary>
static class Coerce
{
    public static object ToNumber(object? v) => v switch
    {
        null => 0.0,
        double d => d,
        bool b => b ? 1.0 : 0.0,
        string s => double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : FormulaError.Value,
        FormulaError e => e,
        RangeValue r when r.Rows == 1 && r.Columns == 1 => ToNumber(r[0, 0]),
        _ => FormulaError.Value,
    };

    public static object ToText(object? v) => v switch
    {
        null => "",
        double d => FormulaValue.FormatNumber(d),
        bool b => b ? "TRUE" : "FALSE",
        string s => s,
        FormulaError e => e,
        RangeValue r when r.Rows == 1 && r.Columns == 1 => ToText(r[0, 0]),
        _ => FormulaError.Value,
    };

    public static object ToBool(object? v) => v switch
    {
        null => false,
        bool b => b,
        double d => d != 0,
        string s when s.Equals("TRUE", StringComparison.OrdinalIgnoreCase) => true,
        string s when s.Equals("FALSE", StringComparison.OrdinalIgnoreCase) => false,
        FormulaError e => e,
        RangeValue r when r.Rows == 1 && r.Columns == 1 => ToBool(r[0, 0]),
        _ => FormulaError.Value,
    };

    /// <summary>A single value from a range used where one value is expected (1×1 only; no implicit intersection).</summary>
    public static object? Scalar(object? v) => v is RangeValue r ? (r.Rows == 1 && r.Columns == 1 ? r[0, 0] : FormulaError.Value) : v;

    static int Rank(object? v) => v switch { double => 0, string => 1, bool => 2, _ => 0 };

    /// <summary>Excel ordering; an empty cell compares as 0 against numbers, "" against text and FALSE against logicals.</summary>
    public static int Compare(object? a, object? b)
    {
        a ??= b switch { string => "", bool => false, _ => 0.0 };
        b ??= a switch { string => "", bool => false, _ => 0.0 };
        int ra = Rank(a), rb = Rank(b);
        if (ra != rb) return ra.CompareTo(rb);
        return (a, b) switch
        {
            (double x, double y) => x.CompareTo(y),
            (string x, string y) => string.Compare(x, y, StringComparison.OrdinalIgnoreCase),
            (bool x, bool y) => x.CompareTo(y),
            _ => 0,
        };
    }
}
