using System.Text;

namespace PromptIntern.Compression;

/// <summary>LLMLingua's iterative token-level compression: walks the kept blocks in output order in segments of
/// about <c>iterativeSize</c> tokens; each segment is scored conditioned on the text kept so far (not the
/// original), so what was dropped earlier changes what is surprising later. Within a segment, a unit's
/// priority is its information percentile minus (1 - the block's rate): the units at or above zero are
/// LLMLingua's per-segment threshold decision, and the budget selector moves that line to the exact budget.</summary>
/// <remarks>Segments shorter than <c>iterativeSize</c> are compressed too (LLMLingua issue #196).
/// Units are whole words, so a word is kept or dropped as one (the mean of its tokens' information).</remarks>
public sealed class IterativeTokenFilter(ITokenScorer scorer, int iterativeSize = 200, int maxPrefixChars = 4000)
{
    /// <summary>Fills <paramref name="priority"/> for the units of <paramref name="blocks"/> (in output order).</summary>
    /// <param name="question">For LongLLMLingua: scores become contrastive, <c>I(x | kept) - I(x | question, kept)</c>
    /// (ties broken by the conditioned information); null for plain self-information.</param>
    public void Run(PromptDocument doc, IReadOnlyList<UnitBlock> blocks, bool[] excluded, double[] priority, string? question = null)
    {
        var kept = new StringBuilder();
        var lastPart = -1;
        foreach (var block in blocks)
        {
            if (lastPart >= 0 && block.Part != lastPart && kept.Length > 0) kept.Append(PromptDocument.PartSeparator);
            lastPart = block.Part;
            var units = block.Units.Where(u => !excluded[u] || doc.Forced[u]).ToList();
            foreach (var segment in Segments(doc, units))
                ScoreSegment(doc, segment, block.Rate, priority, kept, question);
        }
    }

    IEnumerable<List<int>> Segments(PromptDocument doc, List<int> units)
    {
        var seg = new List<int>();
        var size = 0;
        foreach (var u in units)
        {
            // a segment is contiguous text; a gap (excluded units) starts a new one
            if (seg.Count > 0 && (size >= iterativeSize || u != seg[^1] + 1)) { yield return seg; seg = []; size = 0; }
            seg.Add(u);
            size += doc.UnitTokens[u];
        }
        if (seg.Count > 0) yield return seg;
    }

    void ScoreSegment(PromptDocument doc, List<int> seg, double rate, double[] priority, StringBuilder kept, string? question)
    {
        var start = doc.Units[seg[0]].Start;
        var text = doc.Text.Substring(start, doc.Units[seg[^1]].End - start);
        var prefix = kept.Length > maxPrefixChars ? kept.ToString(kept.Length - maxPrefixChars, maxPrefixChars) : kept.ToString();
        var scored = question == null ? [scorer.Score(text, prefix)]
            : scorer.ScoreMany([(text, prefix), (text, question + PromptDocument.PartSeparator + prefix)]);
        var (sum, n) = UnitInformation.Aggregate(doc, seg[0], seg.Count, scored[0], start);
        var info = UnitInformation.Mean(sum, n);
        double[] score = info;
        if (question != null)
        {
            var (cs, cn) = UnitInformation.Aggregate(doc, seg[0], seg.Count, scored[1], start);
            var conditioned = UnitInformation.Mean(cs, cn);
            score = info.Select((self, i) => self - conditioned[i] + 1e-3 * conditioned[i]).ToArray();
        }
        var droppable = seg.Where(u => !doc.Forced[u]).ToList();
        var pct = UnitInformation.TokenPercentile(doc, droppable, u => score[u - seg[0]]);
        for (var i = 0; i < droppable.Count; i++) priority[droppable[i]] = pct[i] - (1 - rate);

        var prev = -1;
        foreach (var u in seg)
        {
            if (!doc.Forced[u] && priority[u] < 0) continue;
            var piece = doc.UnitText(u);
            if (prev >= 0 && prev != u - 1) piece = " " + piece.TrimStart();
            kept.Append(piece);
            prev = u;
        }
    }
}
