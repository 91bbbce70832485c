using System.Globalization;

namespace PromptIntern.Evaluation.Formula;

/// <summary>An Excel error value such as <c>#N/A</c> or <c>#DIV/0!</c>; it propagates through operators and functions.</summary>
public sealed record FormulaError(string Code)
{
    public static readonly FormulaError NotAvailable = new("#N/A"), DivideByZero = new("#DIV/0!"), Value = new("#VALUE!"),
        Reference = new("#REF!"), Name = new("#NAME?"), Number = new("#NUM!");
    public override string ToString() => Code;
}

/// <summary>A rectangle of cell values (row-major), as a range argument sees it.</summary>
public sealed class RangeValue(object?[,] cells)
{
    public object?[,] Cells { get; } = cells;
    public int Rows => Cells.GetLength(0);
    public int Columns => Cells.GetLength(1);
    public object? this[int row, int column] => Cells[row, column];

    public IEnumerable<object?> All()
    {
        for (int r = 0; r < Rows; r++)
            for (int c = 0; c < Columns; c++) yield return Cells[r, c];
    }
}

/// <summary>Formula values are <see cref="double"/>, <see cref="string"/>, <see cref="bool"/>, <see cref="FormulaError"/>,
/// <see cref="RangeValue"/> or null (an empty cell). This formats a result the way the kit's data stores it.</summary>
public static class FormulaValue
{
    /// <summary>Numbers rounded to 10 decimals (hiding float noise) in invariant culture; TRUE/FALSE; error codes; text as is.</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        double d => FormatNumber(d),
        bool b => b ? "TRUE" : "FALSE",
        string s => s,
        FormulaError e => e.Code,
        RangeValue => FormulaError.Value.Code,
        _ => value.ToString() ?? "",
    };

    public static string FormatNumber(double d)
    {
        double r = Math.Round(d, 10);
        if (r == 0) r = 0; // no "-0"
        return r.ToString("G15", CultureInfo.InvariantCulture);
    }

    /// <summary>Whether two results are the same answer: numbers within 1e-9 relative, text and the rest by formatted form.</summary>
    public static bool Same(object? a, object? b)
    {
        if (a is double x && b is double y) return Math.Abs(x - y) <= 1e-9 * Math.Max(1, Math.Max(Math.Abs(x), Math.Abs(y)));
        return a?.GetType() == b?.GetType() && Format(a) == Format(b);
    }
}
