using System.Text.RegularExpressions;
using PromptIntern.Text;

namespace PromptIntern.Compression;

/// <summary>Which part of the prompt a stretch of text came from.</summary>
public enum PromptPartKind { Instruction, Context, Question }

/// <summary>One part of the assembled prompt: its place in <see cref="PromptDocument.Text"/> and its units.</summary>
public sealed record PromptPart(PromptPartKind Kind, int Index, int Start, int Length, bool Compressible, int FirstUnit, int UnitCount)
{
    public int End => Start + Length;
}

/// <summary>A request assembled for compression: the prompt text (parts joined by blank lines, as LLMLingua
/// joins them), its parts, its lexical units, which units are forced, and each unit's cost in counted tokens.</summary>
public sealed class PromptDocument
{
    public const string PartSeparator = "\n\n";

    public string Text { get; }
    public IReadOnlyList<PromptPart> Parts { get; }
    public IReadOnlyList<LexicalUnit> Units { get; }
    /// <summary>Index of the part each unit belongs to.</summary>
    public int[] UnitPart { get; }
    /// <summary>Units that must be kept: force-keep matches and units of parts that are not compressed.</summary>
    public bool[] Forced { get; }
    /// <summary>Tokens each unit costs alone (an estimate: the budget itself is checked on the joined text).</summary>
    public int[] UnitTokens { get; }
    public ITokenCounter Counter { get; }
    /// <summary>Tokens of the whole text per token of its units counted alone (units alone count a little
    /// more: merges across unit edges are lost); multiplies unit-token sums into budget estimates.</summary>
    public double TokenScale { get; }

    PromptDocument(string text, List<PromptPart> parts, List<LexicalUnit> units, int[] unitPart, bool[] forced, int[] unitTokens, ITokenCounter counter)
    {
        Text = text; Parts = parts; Units = units; UnitPart = unitPart; Forced = forced; UnitTokens = unitTokens; Counter = counter;
        var sum = unitTokens.Sum();
        TokenScale = sum == 0 ? 1 : counter.CountTokens(text) / (double)sum;
    }

    public string UnitText(int u) => Text.Substring(Units[u].Start, Units[u].Length);

    public string PartText(int p) => Text.Substring(Parts[p].Start, Parts[p].Length);

    /// <summary>Assembles instruction, contexts and question (each trimmed; empty ones skipped).</summary>
    public static PromptDocument Build(CompressionRequest r, ITokenCounter counter)
    {
        var pieces = new List<(PromptPartKind Kind, int Index, string Text, bool Compressible)>();
        if (!string.IsNullOrWhiteSpace(r.Instruction)) pieces.Add((PromptPartKind.Instruction, 0, r.Instruction.Trim(), r.CompressInstruction));
        for (var i = 0; i < r.Contexts.Count; i++)
            if (!string.IsNullOrWhiteSpace(r.Contexts[i])) pieces.Add((PromptPartKind.Context, i, r.Contexts[i].Trim(), true));
        if (r.QuestionInPrompt && !string.IsNullOrWhiteSpace(r.Question)) pieces.Add((PromptPartKind.Question, 0, r.Question.Trim(), false));

        var text = string.Join(PartSeparator, pieces.Select(p => p.Text));
        var parts = new List<PromptPart>();
        var units = new List<LexicalUnit>();
        var unitPart = new List<int>();
        var pos = 0;
        foreach (var p in pieces)
        {
            var partUnits = LexicalUnits.Split(text, pos, p.Text.Length);
            parts.Add(new PromptPart(p.Kind, p.Index, pos, p.Text.Length, p.Compressible, units.Count, partUnits.Count));
            foreach (var u in partUnits) { units.Add(u); unitPart.Add(parts.Count - 1); }
            pos += p.Text.Length + PartSeparator.Length;
        }

        var forced = new bool[units.Count];
        for (var u = 0; u < units.Count; u++) forced[u] = !parts[unitPart[u]].Compressible;
        foreach (var pattern in r.ForceKeep)
            foreach (Match m in Regex.Matches(text, pattern))
                MarkOverlapping(units, forced, m.Index, Math.Max(1, m.Length));

        var unitTokens = new int[units.Count];
        for (var u = 0; u < units.Count; u++) unitTokens[u] = counter.CountTokens(text.Substring(units[u].Start, units[u].Length));
        return new PromptDocument(text, parts, units, unitPart.ToArray(), forced, unitTokens, counter);
    }

    static void MarkOverlapping(List<LexicalUnit> units, bool[] forced, int start, int length)
    {
        // first unit whose end is past start, then every unit that begins before the match ends
        int lo = 0, hi = units.Count;
        while (lo < hi) { var mid = (lo + hi) / 2; if (units[mid].End <= start) lo = mid + 1; else hi = mid; }
        for (var u = lo; u < units.Count && units[u].Start < start + length; u++) forced[u] = true;
    }
}
