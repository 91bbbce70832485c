using System.Text;

namespace PromptIntern.Evaluation.Formula;

/// <summary>A canonical text for a formula, so that formatting differences do not count: function names and references in
/// upper case, no whitespace, no leading <c>=</c>, no <c>$</c> markers, ranges written top-left first, strings in double
/// quotes, and explicit parentheses around every operation (so redundant ones vanish).</summary>
public static class FormulaNormalizer
{
    /// <summary>The canonical text, or null when the formula does not parse.</summary>
    public static string? Normalize(string formula) => FormulaParser.TryParse(formula, out var node) ? Print(node!) : null;

    public static string Print(FormulaNode node)
    {
        var sb = new StringBuilder();
        Write(sb, node);
        return sb.ToString();
    }

    static void Write(StringBuilder sb, FormulaNode node)
    {
        switch (node)
        {
            case NumberNode n: sb.Append(FormulaValue.FormatNumber(n.Value)); break;
            case TextNode t: sb.Append('"').Append(t.Value.Replace("\"", "\"\"")).Append('"'); break;
            case BoolNode b: sb.Append(b.Value ? "TRUE" : "FALSE"); break;
            case CellNode c: sb.Append(CellAddress.ColumnLetters(c.Column)).Append(c.Row); break;
            case RangeNode r when r.WholeColumns:
                sb.Append(CellAddress.ColumnLetters(Math.Min(r.FirstColumn, r.LastColumn))).Append(':')
                  .Append(CellAddress.ColumnLetters(Math.Max(r.FirstColumn, r.LastColumn)));
                break;
            case RangeNode r:
                sb.Append(CellAddress.ColumnLetters(Math.Min(r.FirstColumn, r.LastColumn))).Append(Math.Min(r.FirstRow!.Value, r.LastRow!.Value)).Append(':')
                  .Append(CellAddress.ColumnLetters(Math.Max(r.FirstColumn, r.LastColumn))).Append(Math.Max(r.FirstRow.Value, r.LastRow.Value));
                break;
            case CallNode call:
                sb.Append(call.Name.StartsWith("_XLFN.", StringComparison.Ordinal) ? call.Name[6..] : call.Name).Append('(');
                for (int i = 0; i < call.Arguments.Count; i++) { if (i > 0) sb.Append(','); Write(sb, call.Arguments[i]); }
                sb.Append(')');
                break;
            case UnaryNode u: sb.Append('-'); Write(sb, u.Operand); break;
            case PercentNode p: Write(sb, p.Operand); sb.Append('%'); break;
            case BinaryNode b: sb.Append('('); Write(sb, b.Left); sb.Append(b.Operator); Write(sb, b.Right); sb.Append(')'); break;
        }
    }
}
