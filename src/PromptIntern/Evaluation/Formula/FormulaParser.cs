using System.Globalization;

namespace PromptIntern.Evaluation.Formula;

/// <summary>Parses a formula into a <see cref="FormulaNode"/> tree with Excel's operator precedence (comparison &lt; &amp;
/// &lt; + - &lt; * / &lt; ^ &lt; unary minus &lt; %).</summary>
public sealed class FormulaParser
{
    readonly string _formula;
    readonly IReadOnlyList<FormulaToken> _tokens;
    int _at;

    FormulaParser(string formula)
    {
        _formula = formula;
        _tokens = FormulaTokenizer.Tokenize(formula);
    }

    public static FormulaNode Parse(string formula)
    {
        var p = new FormulaParser(formula);
        if (p.Peek.Kind == FormulaTokenKind.End) throw new FormulaSyntaxException(formula, 0, "empty formula");
        var node = p.Comparison();
        if (p.Peek.Kind != FormulaTokenKind.End) throw p.Error($"unexpected '{p.Peek.Text}'");
        return node;
    }

    public static bool TryParse(string formula, out FormulaNode? node)
    {
        try { node = Parse(formula); return true; }
        catch (FormulaSyntaxException) { node = null; return false; }
    }

    FormulaToken Peek => _tokens[_at];
    FormulaToken Next() => _tokens[_at++];
    FormulaSyntaxException Error(string problem) => new(_formula, Peek.Position, problem);
    bool IsOperator(params string[] ops) => Peek.Kind == FormulaTokenKind.Operator && ops.Contains(Peek.Text);

    FormulaNode Comparison() => LeftAssociative(Concatenation, "=", "<>", "<", ">", "<=", ">=");
    FormulaNode Concatenation() => LeftAssociative(Additive, "&");
    FormulaNode Additive() => LeftAssociative(Multiplicative, "+", "-");
    FormulaNode Multiplicative() => LeftAssociative(Power, "*", "/");
    FormulaNode Power() => LeftAssociative(Unary, "^");

    FormulaNode LeftAssociative(Func<FormulaNode> operand, params string[] ops)
    {
        var left = operand();
        while (IsOperator(ops)) { var op = Next().Text; left = new BinaryNode(op, left, operand()); }
        return left;
    }

    FormulaNode Unary()
    {
        if (IsOperator("-", "+")) { var op = Next().Text; var inner = Unary(); return op == "-" ? new UnaryNode("-", inner) : inner; }
        var node = Primary();
        while (IsOperator("%")) { Next(); node = new PercentNode(node); }
        return node;
    }

    FormulaNode Primary()
    {
        var t = Next();
        switch (t.Kind)
        {
            case FormulaTokenKind.Number: return new NumberNode(double.Parse(t.Text, NumberStyles.Float, CultureInfo.InvariantCulture));
            case FormulaTokenKind.Text: return new TextNode(t.Text);
            case FormulaTokenKind.Bool: return new BoolNode(t.Text == "TRUE");
            case FormulaTokenKind.Cell:
            {
                var first = Cell(t.Text);
                if (Peek.Kind != FormulaTokenKind.Colon) return first;
                Next();
                if (Peek.Kind != FormulaTokenKind.Cell) throw Error("expected a cell after ':'");
                var last = Cell(Next().Text);
                return new RangeNode(first.Column, first.Row, last.Column, last.Row);
            }
            case FormulaTokenKind.Column:
            {
                if (Next().Kind != FormulaTokenKind.Colon || Peek.Kind != FormulaTokenKind.Column) throw Error("expected a column range like A:A");
                return new RangeNode(CellAddress.ColumnIndex(t.Text.Replace("$", "")), null, CellAddress.ColumnIndex(Next().Text.Replace("$", "")), null);
            }
            case FormulaTokenKind.Function:
            {
                Next(); // '('
                var args = new List<FormulaNode>();
                if (Peek.Kind != FormulaTokenKind.RightParen)
                {
                    do { args.Add(Comparison()); } while (Peek.Kind == FormulaTokenKind.Comma && Next() != null);
                }
                if (Next().Kind != FormulaTokenKind.RightParen) throw new FormulaSyntaxException(_formula, _tokens[_at - 1].Position, $"expected ')' closing {t.Text}(");
                return new CallNode(t.Text, args);
            }
            case FormulaTokenKind.LeftParen:
            {
                var inner = Comparison();
                if (Next().Kind != FormulaTokenKind.RightParen) throw new FormulaSyntaxException(_formula, _tokens[_at - 1].Position, "expected ')'");
                return inner;
            }
            default:
                throw new FormulaSyntaxException(_formula, t.Position, t.Kind == FormulaTokenKind.End ? "unexpected end of formula" : $"unexpected '{t.Text}'");
        }
    }

    static CellNode Cell(string text)
    {
        int i = 0;
        bool absCol = text[i] == '$';
        if (absCol) i++;
        int start = i;
        while (char.IsLetter(text[i])) i++;
        int col = CellAddress.ColumnIndex(text[start..i]);
        bool absRow = text[i] == '$';
        if (absRow) i++;
        return new CellNode(col, int.Parse(text[i..], CultureInfo.InvariantCulture), absCol, absRow);
    }
}
