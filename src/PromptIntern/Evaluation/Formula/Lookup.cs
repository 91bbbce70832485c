namespace PromptIntern.Evaluation.Formula;

/// <summary>VLOOKUP, INDEX and MATCH: exact matching (text without case, wildcards allowed) and Excel's approximate
/// matching over sorted data.</summary>
static class Lookup
{
    public static object? VLookup(FormulaEvaluator e, IReadOnlyList<FormulaNode> a)
    {
        var key = e.Scalar(a[0]);
        if (key is FormulaError) return key;
        if (e.AsRange(a[1]) is not RangeValue table) return e.AsRange(a[1]);
        if (Coerce.ToNumber(e.Scalar(a[2])) is not double colNumber) return Coerce.ToNumber(e.Scalar(a[2]));
        int col = (int)colNumber;
        if (col < 1) return FormulaError.Value;
        if (col > table.Columns) return FormulaError.Reference;
        bool approximate = true;
        if (a.Count == 4)
        {
            var flag = Coerce.ToBool(e.Scalar(a[3]));
            if (flag is not bool b) return flag;
            approximate = b;
        }
        var firstColumn = Enumerable.Range(0, table.Rows).Select(r => table[r, 0]).ToList();
        int row = approximate ? ApproximateAscending(firstColumn, key) : Exact(firstColumn, key);
        return row < 0 ? FormulaError.NotAvailable : table[row, col - 1];
    }

    public static object? Index(FormulaEvaluator e, IReadOnlyList<FormulaNode> a)
    {
        if (e.AsRange(a[0]) is not RangeValue r) return e.AsRange(a[0]);
        if (Coerce.ToNumber(e.Scalar(a[1])) is not double rowNumber) return Coerce.ToNumber(e.Scalar(a[1]));
        double colNumber = 1;
        if (a.Count == 3)
        {
            if (Coerce.ToNumber(e.Scalar(a[2])) is not double c) return Coerce.ToNumber(e.Scalar(a[2]));
            colNumber = c;
        }
        int row = (int)rowNumber, col = (int)colNumber;
        if (a.Count == 2 && r.Rows == 1) (row, col) = (1, row); // a one-row range indexed by a single number
        if (row < 1 || col < 1) return FormulaError.Value;
        if (row > r.Rows || col > r.Columns) return FormulaError.Reference;
        return r[row - 1, col - 1];
    }

    public static object? Match(FormulaEvaluator e, IReadOnlyList<FormulaNode> a)
    {
        var key = e.Scalar(a[0]);
        if (key is FormulaError) return key;
        if (e.AsRange(a[1]) is not RangeValue r) return e.AsRange(a[1]);
        if (r.Rows != 1 && r.Columns != 1) return FormulaError.NotAvailable;
        double type = 1;
        if (a.Count == 3)
        {
            if (Coerce.ToNumber(e.Scalar(a[2])) is not double t) return Coerce.ToNumber(e.Scalar(a[2]));
            type = t;
        }
        var cells = r.All().ToList();
        int i = type == 0 ? Exact(cells, key) : type > 0 ? ApproximateAscending(cells, key) : ApproximateDescending(cells, key);
        return i < 0 ? FormulaError.NotAvailable : i + 1.0;
    }

    static bool SameKind(object? a, object? b) => (a, b) switch { (double, double) or (string, string) or (bool, bool) => true, _ => false };

    static int Exact(List<object?> cells, object? key)
    {
        System.Text.RegularExpressions.Regex? pattern = key is string s && (s.Contains('*') || s.Contains('?'))
            ? new("^" + Criterion.WildcardToRegex(s) + "$", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.Singleline)
            : null;
        for (int i = 0; i < cells.Count; i++)
        {
            if (!SameKind(cells[i], key)) continue;
            if (pattern != null ? pattern.IsMatch((string)cells[i]!) : Coerce.Compare(cells[i], key) == 0) return i;
        }
        return -1;
    }

    /// <summary>The last position whose value is ≤ key, scanning sorted-ascending data (stops at the first larger value).</summary>
    static int ApproximateAscending(List<object?> cells, object? key)
    {
        int found = -1;
        for (int i = 0; i < cells.Count; i++)
        {
            if (!SameKind(cells[i], key)) continue;
            if (Coerce.Compare(cells[i], key) <= 0) found = i; else break;
        }
        return found;
    }

    static int ApproximateDescending(List<object?> cells, object? key)
    {
        int found = -1;
        for (int i = 0; i < cells.Count; i++)
        {
            if (!SameKind(cells[i], key)) continue;
            if (Coerce.Compare(cells[i], key) >= 0) found = i; else break;
        }
        return found;
    }
}
