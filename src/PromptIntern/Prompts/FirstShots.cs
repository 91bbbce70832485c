using PromptIntern.Data;

namespace PromptIntern.Prompts;

/// <summary>The simplest deterministic shot choice: the first k rows of a pool (the train split), the query itself excluded.
/// A stand-in where no retriever is wanted; Absorption's BM25 retriever picks shots per query.</summary>
public static class FirstShots
{
    public static IReadOnlyList<FewShotExample> Select(string task, IReadOnlyList<TaskExample> pool, int k, string? excludeId = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        return pool.Where(e => e.Id != excludeId).Take(k).Select(e => TaskFormat.Shot(task, e)).ToList();
    }
}
