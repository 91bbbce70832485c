namespace PromptIntern.Evaluation.Formula;

/// <summary>Difficulty level of a formula, ours (NL2Formula's own Level values are not documented): the nesting depth of
/// function calls and operators plus one per criterion pair beyond the first in *IFS functions.
/// 1 → easy (e.g. <c>SUM(B2:B9)</c>, <c>COUNTIF(A2:A9,"x")</c>), 2 → medium (e.g. <c>ROUND(AVERAGE(..),1)</c>,
/// <c>SUMIFS</c> with two criteria), 3 or more → hard (e.g. <c>INDEX(A2:A9,MATCH(MAX(C2:C9),C2:C9,0))</c>).</summary>
public static class FormulaComplexity
{
    public const string Easy = "easy", Medium = "medium", Hard = "hard";

    public static int Score(FormulaNode node) => Depth(node) + ExtraCriteria(node);

    public static string Level(FormulaNode node) => Score(node) switch { <= 1 => Easy, 2 => Medium, _ => Hard };

    public static string Level(string formula) => Level(FormulaParser.Parse(formula));

    static int Depth(FormulaNode node) => node switch
    {
        CallNode c => 1 + (c.Arguments.Count == 0 ? 0 : c.Arguments.Max(Depth)),
        BinaryNode b => 1 + Math.Max(Depth(b.Left), Depth(b.Right)),
        UnaryNode u => Depth(u.Operand),
        PercentNode p => Depth(p.Operand),
        _ => 0,
    };

    static int ExtraCriteria(FormulaNode node) => node switch
    {
        CallNode c => (c.Name is "SUMIFS" or "AVERAGEIFS" or "MAXIFS" or "MINIFS" ? Math.Max(0, (c.Arguments.Count - 1) / 2 - 1)
                       : c.Name == "COUNTIFS" ? Math.Max(0, c.Arguments.Count / 2 - 1) : 0) + c.Arguments.Sum(ExtraCriteria),
        BinaryNode b => ExtraCriteria(b.Left) + ExtraCriteria(b.Right),
        UnaryNode u => ExtraCriteria(u.Operand),
        PercentNode p => ExtraCriteria(p.Operand),
        _ => 0,
    };
}
