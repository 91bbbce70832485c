using PromptIntern.Data;

namespace PromptIntern.Absorption;

/// <summary>Returns the same examples for every query, in the given order: the fixed few-shot prompt of an ablation.</summary>
/// <remarks>For MBPP pass the official prompt split (data/mbpp/prompt.jsonl, task_id 1–10): the first k rows are
/// task_ids 1..k, the MBPP paper's fixed-shot convention (some harnesses use task_ids 2–4 instead; pass those rows to
/// get that). The query itself is skipped, by id and by identical text, as in <see cref="Bm25Retriever"/>.
/// Scores are 0: nothing is ranked.</remarks>
public sealed class FixedShotsRetriever(IEnumerable<TaskExample> shots) : IExampleRetriever
{
    readonly TaskExample[] _shots = shots.ToArray();

    public string Name => "fixed";

    public IReadOnlyList<TaskExample> Shots => _shots;

    public IReadOnlyList<RetrievedExample> Retrieve(TaskExample query, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        string self = query.Query.Trim();
        return _shots.Where(s => s.Id != query.Id && s.Query.Trim() != self)
                     .Take(k)
                     .Select((s, i) => new RetrievedExample(s, 0, i + 1))
                     .ToList();
    }
}
