using System.Globalization;

namespace PromptIntern.Evaluation.Formula;

/// <summary>A table a formula runs on: row 1 is the header, data from row 2, column A first. Cells are strings as in
/// NL2Formula; a cell that reads as a number is a number, an empty one is empty, the rest is text.</summary>
public sealed class Sheet
{
    readonly object?[][] _cells;

    public IReadOnlyList<IReadOnlyList<string>> Rows { get; }
    public int RowCount => _cells.Length;
    public int ColumnCount { get; }

    public Sheet(IReadOnlyList<IReadOnlyList<string>> rows)
    {
        Rows = rows;
        ColumnCount = rows.Count == 0 ? 0 : rows.Max(r => r.Count);
        _cells = rows.Select(r => r.Select(Typed).ToArray()).ToArray();
    }

    /// <summary>The typed value of a cell (1-based row and column); outside the table it is empty.</summary>
    public object? Cell(int row, int column) =>
        row >= 1 && row <= _cells.Length && column >= 1 && column <= _cells[row - 1].Length ? _cells[row - 1][column - 1] : null;

    public RangeValue Range(int firstRow, int firstColumn, int lastRow, int lastColumn)
    {
        var cells = new object?[lastRow - firstRow + 1, lastColumn - firstColumn + 1];
        for (int r = firstRow; r <= lastRow; r++)
            for (int c = firstColumn; c <= lastColumn; c++) cells[r - firstRow, c - firstColumn] = Cell(r, c);
        return new RangeValue(cells);
    }

    public static object? Typed(string cell)
    {
        var s = cell.Trim();
        if (s.Length == 0) return null;
        return double.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out var d) ? d : cell;
    }
}
