using System.Text;

namespace PromptIntern.Compression;

/// <summary>Turns a keep mask over units back into text: kept units in order, with the spacing repaired where
/// units between them were dropped (no glued words, no doubled spaces, indentation kept at line starts).</summary>
public static class UnitJoiner
{
    public static string Join(PromptDocument doc, bool[] kept, IReadOnlyList<int>? partOrder = null)
    {
        var parts = new List<string>();
        foreach (var p in partOrder ?? Enumerable.Range(0, doc.Parts.Count).ToList())
        {
            var s = JoinPart(doc, doc.Parts[p], kept).Trim();
            if (s.Length > 0) parts.Add(s);
        }
        return string.Join(PromptDocument.PartSeparator, parts);
    }

    static string JoinPart(PromptDocument doc, PromptPart part, bool[] kept)
    {
        var sb = new StringBuilder();
        var text = doc.Text;
        var prev = -1;
        for (var u = part.FirstUnit; u < part.FirstUnit + part.UnitCount; u++)
        {
            if (!kept[u]) continue;
            var unit = doc.Units[u];
            var piece = text.AsSpan(unit.Start, unit.Length);
            if (prev != u - 1 && (prev >= 0 || u > part.FirstUnit))
            {
                var atLineStart = sb.Length == 0 || sb[^1] == '\n';
                var originalLineStart = unit.Start == part.Start || text[unit.Start - 1] == '\n';
                var isBreak = piece.Trim(" \t").Length > 0 && piece.Trim(" \t")[0] is '\n' or '\r';
                if (isBreak && sb.Length > 0 && sb[^1] == '\n') { prev = u; continue; } // no runs of blank lines
                if (sb.Length == 0 || char.IsWhiteSpace(sb[^1]))
                {
                    if (!(atLineStart && originalLineStart)) piece = piece.TrimStart(" \t");
                }
                else if (piece.Length > 0 && !char.IsWhiteSpace(piece[0]) && NeedsSpace(sb[^1], piece[0]))
                    sb.Append(' ');
            }
            sb.Append(piece);
            prev = u;
        }
        return sb.ToString();
    }

    // Between two kept pieces that were not adjacent: separate them unless punctuation binds them.
    static bool NeedsSpace(char left, char right) => !(right is '.' or ',' or ';' or ':' or '!' or '?' or ')' or ']' or '}')
        && !(left is '(' or '[' or '{');
}
