using PromptIntern.Data;

namespace PromptIntern.Absorption;

/// <summary>Retrieves few-shot examples by Okapi BM25 over a corpus (the train split's queries), the query itself excluded.</summary>
/// <remarks>
/// score(q, d) = Σ over query terms t (with repetition, as rank_bm25 and Lucene's query parser do) of
/// idf(t) · tf(t,d)·(k1+1) / (tf(t,d) + k1·(1 − b + b·|d|/avgdl)), with Lucene's non-negative
/// idf(t) = ln(1 + (N − n(t) + 0.5) / (n(t) + 0.5)). Terms come from <see cref="RetrievalTokenizer"/>.
/// Excluded: any document with the query's id, and any whose text equals the query's text after lower-casing and
/// collapsing white space (a duplicate would leak the answer). Ties break by id, ordinal, ascending; when fewer than k
/// documents share a term with the query, zero-score documents fill up in the same id order, so k examples always come back
/// when the corpus has them.
/// </remarks>
public sealed class Bm25Retriever : IExampleRetriever
{
    readonly TaskExample[] _docs;          // sorted by id (ordinal): index order is the tie-break order
    readonly string[] _normalizedText;
    readonly int[] _length;
    readonly Dictionary<string, (int Doc, int Tf)[]> _postings;
    readonly Func<TaskExample, string> _text;
    readonly double _avgLength;

    public Bm25Parameters Parameters { get; }
    public string Name => "bm25";
    public int Count => _docs.Length;

    /// <param name="corpus">the examples that may be shown (usually the train split)</param>
    /// <param name="text">what is indexed and matched; default the example's query</param>
    public Bm25Retriever(IEnumerable<TaskExample> corpus, Bm25Parameters? parameters = null, Func<TaskExample, string>? text = null)
    {
        Parameters = parameters ?? Bm25Parameters.Default;
        Parameters.Validate();
        _text = text ?? (e => e.Query);
        _docs = corpus.OrderBy(e => e.Id, StringComparer.Ordinal).ToArray();
        for (int i = 1; i < _docs.Length; i++)
            if (_docs[i].Id == _docs[i - 1].Id) throw new ArgumentException($"duplicate id '{_docs[i].Id}' in the retrieval corpus", nameof(corpus));
        _normalizedText = new string[_docs.Length];
        _length = new int[_docs.Length];
        var postings = new Dictionary<string, List<(int, int)>>(StringComparer.Ordinal);
        for (int d = 0; d < _docs.Length; d++)
        {
            var s = _text(_docs[d]);
            _normalizedText[d] = Normalize(s);
            var terms = RetrievalTokenizer.Tokenize(s);
            _length[d] = terms.Count;
            foreach (var g in terms.GroupBy(t => t, StringComparer.Ordinal))
            {
                if (!postings.TryGetValue(g.Key, out var list)) postings[g.Key] = list = [];
                list.Add((d, g.Count()));
            }
        }
        _postings = postings.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
        _avgLength = _docs.Length == 0 ? 0 : _length.Average();
    }

    /// <summary>Lucene's BM25 idf for a term that occurs in <paramref name="docFreq"/> of <paramref name="docCount"/> documents.</summary>
    public static double Idf(int docCount, int docFreq) => Math.Log(1 + (docCount - docFreq + 0.5) / (docFreq + 0.5));

    public IReadOnlyList<RetrievedExample> Retrieve(TaskExample query, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (k == 0 || _docs.Length == 0) return [];
        var scores = new double[_docs.Length];
        var touched = new List<int>();
        var seen = new bool[_docs.Length];
        foreach (var term in RetrievalTokenizer.Tokenize(_text(query)))
        {
            if (!_postings.TryGetValue(term, out var list)) continue;
            double idf = Idf(_docs.Length, list.Length);
            foreach (var (d, tf) in list)
            {
                double norm = Parameters.K1 * (1 - Parameters.B + Parameters.B * _length[d] / _avgLength); // _avgLength > 0: d holds a term
                scores[d] += idf * tf * (Parameters.K1 + 1) / (tf + norm);
                if (!seen[d]) { seen[d] = true; touched.Add(d); }
            }
        }

        string selfText = Normalize(_text(query));
        bool Excluded(int d) => _docs[d].Id == query.Id || _normalizedText[d] == selfText;

        // Keep the k best in a small sorted buffer: O(touched · k), and k is a handful of shots.
        var best = new List<int>(k + 1);
        foreach (int d in touched)
        {
            if (Excluded(d)) continue;
            int pos = best.Count;
            while (pos > 0 && Better(d, best[pos - 1], scores)) pos--;
            if (pos < k) { best.Insert(pos, d); if (best.Count > k) best.RemoveAt(k); }
        }
        for (int d = 0; d < _docs.Length && best.Count < k; d++)
            if (!seen[d] && !Excluded(d)) best.Add(d);

        return best.Select((d, i) => new RetrievedExample(_docs[d], scores[d], i + 1)).ToList();
    }

    // Higher score first; equal scores: lower index (= smaller id, ordinal) first.
    static bool Better(int a, int b, double[] scores) => scores[a] > scores[b] || (scores[a] == scores[b] && a < b);

    static string Normalize(string s) => string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
}
