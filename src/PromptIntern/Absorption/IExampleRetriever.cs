using PromptIntern.Data;

namespace PromptIntern.Absorption;

/// <summary>Picks the few-shot examples shown with a query (the paper's "example retrieval" step).
/// Pluggable so that an embedding retriever can replace BM25.</summary>
public interface IExampleRetriever
{
    /// <summary>Short name recorded in results, e.g. "bm25".</summary>
    string Name { get; }

    /// <summary>The k best examples for <paramref name="query"/>, best first; never the query itself.</summary>
    IReadOnlyList<RetrievedExample> Retrieve(TaskExample query, int k);
}

/// <summary>One retrieved example with its score (higher is more relevant) and 1-based rank.</summary>
public sealed record RetrievedExample(TaskExample Example, double Score, int Rank);
