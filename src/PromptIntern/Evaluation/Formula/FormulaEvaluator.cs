namespace PromptIntern.Evaluation.Formula;

/// <summary>Runs a formula on a <see cref="Sheet"/> and returns its value (see <see cref="FormulaValue"/>): the
/// arithmetic, comparison and &amp; operators and the Excel functions NL2Formula uses (<see cref="FormulaFunctions.Names"/>).</summary>
public sealed class FormulaEvaluator(Sheet sheet)
{
    public Sheet Sheet { get; } = sheet;

    /// <summary>Parses and runs a formula; a syntax error throws <see cref="FormulaSyntaxException"/>, an unknown function gives #NAME?.</summary>
    public static object? Evaluate(string formula, Sheet sheet) => new FormulaEvaluator(sheet).Evaluate(FormulaParser.Parse(formula));

    /// <summary>The value of a formula as one scalar (a range that is not a single cell becomes #VALUE!).</summary>
    public object? Evaluate(FormulaNode node) => Coerce.Scalar(Value(node));

    /// <summary>The value of a node; references to several cells stay ranges so that functions can take them.</summary>
    internal object? Value(FormulaNode node) => node switch
    {
        NumberNode n => n.Value,
        TextNode t => t.Value,
        BoolNode b => b.Value,
        CellNode c => Sheet.Cell(c.Row, c.Column),
        RangeNode r => Range(r),
        UnaryNode u => Coerce.ToNumber(Scalar(u.Operand)) is double d ? -d : Coerce.ToNumber(Scalar(u.Operand)),
        PercentNode p => Coerce.ToNumber(Scalar(p.Operand)) is double d ? d / 100 : Coerce.ToNumber(Scalar(p.Operand)),
        BinaryNode b => Binary(b),
        CallNode call => FormulaFunctions.Call(this, call),
        _ => throw new ArgumentException($"unknown node {node.GetType().Name}"),
    };

    internal object? Scalar(FormulaNode node) => Coerce.Scalar(Value(node));

    /// <summary>The cells a reference argument covers; a non-reference argument's value as a 1×1 range (or its error).</summary>
    internal object AsRange(FormulaNode node)
    {
        var v = Value(node);
        return v switch
        {
            RangeValue r => r,
            FormulaError e => e,
            _ => new RangeValue(new[,] { { v } }),
        };
    }

    RangeValue Range(RangeNode r)
    {
        int firstRow = r.FirstRow ?? 1, lastRow = r.LastRow ?? Math.Max(1, Sheet.RowCount);
        return Sheet.Range(Math.Min(firstRow, lastRow), Math.Min(r.FirstColumn, r.LastColumn),
            Math.Max(firstRow, lastRow), Math.Max(r.FirstColumn, r.LastColumn));
    }

    object? Binary(BinaryNode b)
    {
        var left = Scalar(b.Left);
        var right = Scalar(b.Right);
        if (left is FormulaError le) return le;
        if (right is FormulaError re) return re;
        switch (b.Operator)
        {
            case "&":
                var lt = Coerce.ToText(left);
                var rt = Coerce.ToText(right);
                return lt is string ls && rt is string rs ? ls + rs : lt is FormulaError ? lt : rt;
            case "=" or "<>" or "<" or ">" or "<=" or ">=":
                int c = Coerce.Compare(left, right);
                return b.Operator switch { "=" => c == 0, "<>" => c != 0, "<" => c < 0, ">" => c > 0, "<=" => c <= 0, _ => c >= 0 };
        }
        var ln = Coerce.ToNumber(left);
        var rn = Coerce.ToNumber(right);
        if (ln is not double x) return ln;
        if (rn is not double y) return rn;
        return b.Operator switch
        {
            "+" => x + y,
            "-" => x - y,
            "*" => x * y,
            "/" => y == 0 ? FormulaError.DivideByZero : x / y,
            "^" => Math.Pow(x, y) is var p && (double.IsNaN(p) || double.IsInfinity(p)) ? FormulaError.Number : Math.Pow(x, y),
            _ => FormulaError.Value,
        };
    }
}
