namespace PromptIntern.Evaluation.Formula;

/// <summary>A parsed spreadsheet formula: the nodes an NL2Formula answer is made of.</summary>
public abstract record FormulaNode;

public sealed record NumberNode(double Value) : FormulaNode;
public sealed record TextNode(string Value) : FormulaNode;
public sealed record BoolNode(bool Value) : FormulaNode;
/// <summary>A cell such as <c>B7</c> or <c>$B$7</c>: 1-based column and row; <c>$</c> markers kept only for display.</summary>
public sealed record CellNode(int Column, int Row, bool AbsoluteColumn = false, bool AbsoluteRow = false) : FormulaNode;
/// <summary>A rectangle <c>A2:C20</c>, or whole columns <c>A:A</c> (rows null).</summary>
public sealed record RangeNode(int FirstColumn, int? FirstRow, int LastColumn, int? LastRow) : FormulaNode
{
    public bool WholeColumns => FirstRow is null;
}
public sealed record CallNode(string Name, IReadOnlyList<FormulaNode> Arguments) : FormulaNode
{
    public bool Equals(CallNode? other) => other is not null && Name == other.Name && Arguments.SequenceEqual(other.Arguments);
    public override int GetHashCode() => Name.GetHashCode();
}
public sealed record UnaryNode(string Operator, FormulaNode Operand) : FormulaNode;
public sealed record BinaryNode(string Operator, FormulaNode Left, FormulaNode Right) : FormulaNode;
public sealed record PercentNode(FormulaNode Operand) : FormulaNode;

/// <summary>A formula that does not parse: names the position and what was expected.</summary>
public sealed class FormulaSyntaxException(string formula, int position, string problem)
    : Exception($"formula '{formula}': at {position}: {problem}")
{
    public int Position { get; } = position;
}

/// <summary>Column letters and cell addresses (A = 1, Z = 26, AA = 27).</summary>
public static class CellAddress
{
    public static int ColumnIndex(string letters)
    {
        int n = 0;
        foreach (char c in letters.ToUpperInvariant()) n = n * 26 + (c - 'A' + 1);
        return n;
    }

    public static string ColumnLetters(int column)
    {
        var s = "";
        for (; column > 0; column = (column - 1) / 26) s = (char)('A' + (column - 1) % 26) + s;
        return s;
    }
}
