namespace PromptIntern.Compression;

/// <summary>Meets the token budget exactly: keeps forced units, then the highest-priority units, choosing how
/// many by binary search on the counted tokens of the joined text, then tops up unit by unit. The count is
/// always taken on the real output, so the budget holds in the counting tokenizer's tokens.</summary>
public static class BudgetSelector
{
    /// <summary>How many extra candidates to try when topping up to the exact budget.</summary>
    public const int MaxTopUpTries = 48;

    public static bool[] Select(PromptDocument doc, UnitPlan plan, int targetTokens)
    {
        var n = doc.Units.Count;
        // Units the coarse filter excluded come last: they are used only when everything else fits and the
        // budget is still not reached, so the requested rate is met even when coarse selection cut too deep.
        var candidates = Enumerable.Range(0, n)
            .Where(u => !doc.Forced[u])
            .OrderBy(u => plan.Excluded[u]).ThenByDescending(u => plan.Priority[u]).ThenBy(u => u)
            .ToArray();

        int Count(bool[] mask) => doc.Counter.CountTokens(UnitJoiner.Join(doc, mask, plan.PartOrder));
        bool[] MaskFor(int k)
        {
            var mask = (bool[])doc.Forced.Clone();
            for (var i = 0; i < k; i++) mask[candidates[i]] = true;
            return mask;
        }

        int lo = 0, hi = candidates.Length;
        if (Count(MaskFor(hi)) <= targetTokens) lo = hi;
        else
            while (hi - lo > 1)
            {
                var mid = (lo + hi) / 2;
                if (Count(MaskFor(mid)) <= targetTokens) lo = mid; else hi = mid;
            }

        var best = MaskFor(lo);
        var used = Count(best);
        for (int i = lo, tries = 0; i < candidates.Length && used < targetTokens && tries < MaxTopUpTries; i++)
        {
            if (best[candidates[i]]) continue;
            tries++;
            best[candidates[i]] = true;
            var c = Count(best);
            if (c <= targetTokens) used = c;
            else best[candidates[i]] = false;
        }
        return best;
    }
}
