using System.Text.RegularExpressions;

namespace PromptIntern.Compression;

/// <summary>FALLBACK scorer, used until (and where) no trained causal LM is available: an interpolated
/// Kneser-Ney trigram language model over word / punctuation / whitespace tokens, mixed with a unigram cache
/// over the text seen so far (Kuhn and De Mori's cache LM), so that the prefix (a question, the kept text)
/// really conditions the scores. Trained on the task train splits. A real LM, but far weaker than a
/// transformer; results scored with it say so through <see cref="Name"/>.</summary>
public sealed partial class NGramTokenScorer : ITokenScorer
{
    const double Discount = 0.75;
    const string Bos = "<s>";

    /// <summary>Weight of the cache component (0 disables it).</summary>
    public double CacheWeight { get; init; } = 0.1;

    readonly Dictionary<string, int> _unigramContinuation = new(); // N1+(. w)
    readonly Dictionary<string, int> _bigramContinuation = new();  // N1+(. v w), key "v\u0001w"
    readonly Dictionary<string, (int Total, int Distinct)> _middle = new(); // per v: sum_w N1+(. v w), N1+(v .)
    readonly Dictionary<string, int> _trigram = new();             // c(u v w)
    readonly Dictionary<string, (int Total, int Distinct)> _history = new(); // per (u v): c(u v .), N1+(u v .)
    int _bigramTypes;
    int _vocab;

    public string Name { get; }

    NGramTokenScorer(string name) => Name = name;

    [GeneratedRegex(@"\r?\n|[^\S\n]+|\w+|\p{Cs}{2}|[^\w\s]")]
    private static partial Regex TokenPattern();

    /// <summary>Trains on documents (each starts a fresh history).</summary>
    public static NGramTokenScorer Train(IEnumerable<string> corpus, string name = "ngram-kn3 (fallback)")
    {
        var lm = new NGramTokenScorer(name);
        var trigramSeen = new HashSet<string>();
        var bigramSeen = new HashSet<string>();
        foreach (var doc in corpus)
        {
            string u = Bos, v = Bos;
            foreach (Match m in TokenPattern().Matches(doc))
            {
                var w = Normalize(m.Value);
                var tri = u + "\u0001" + v + "\u0001" + w;
                var hist = u + "\u0001" + v;
                lm._trigram[tri] = lm._trigram.GetValueOrDefault(tri) + 1;
                var h = lm._history.GetValueOrDefault(hist);
                lm._history[hist] = (h.Total + 1, h.Distinct + (trigramSeen.Add(tri) ? 1 : 0));
                if (lm._trigram[tri] == 1)
                {
                    // first time (u v w) is seen: v w gains a left context
                    var bi = v + "\u0001" + w;
                    lm._bigramContinuation[bi] = lm._bigramContinuation.GetValueOrDefault(bi) + 1;
                    var mid = lm._middle.GetValueOrDefault(v);
                    var newBigramType = bigramSeen.Add(bi);
                    lm._middle[v] = (mid.Total + 1, mid.Distinct + (newBigramType ? 1 : 0));
                    if (newBigramType)
                    {
                        lm._unigramContinuation[w] = lm._unigramContinuation.GetValueOrDefault(w) + 1;
                        lm._bigramTypes++;
                    }
                }
                u = v; v = w;
            }
        }
        lm._vocab = lm._unigramContinuation.Count;
        return lm;
    }

    /// <summary>Trains on the queries and answers of every task's train split found under <paramref name="dataDir"/>,
    /// plus the templates in data/templates/*.md when present.</summary>
    public static NGramTokenScorer TrainOnTaskData(string dataDir)
    {
        var corpus = new List<string>();
        foreach (var task in Data.TaskName.All)
        {
            var path = Path.Combine(dataDir, task, "train.jsonl");
            if (File.Exists(path))
                foreach (var ex in Data.JsonlDataset.Load(path)) corpus.Add(ex.Query + "\n" + ex.Answer);
        }
        var templates = Path.Combine(dataDir, "templates");
        if (Directory.Exists(templates))
            foreach (var f in Directory.GetFiles(templates, "*.md").Order()) corpus.Add(File.ReadAllText(f));
        if (corpus.Count == 0) throw new FileNotFoundException($"no train split found under {dataDir} to train the n-gram scorer");
        return Train(corpus);
    }

    public IReadOnlyList<ScoredToken> Score(string text, string prefix = "")
    {
        var cache = new Dictionary<string, int>();
        var cacheSize = 0;
        string u = Bos, v = Bos;
        foreach (Match m in TokenPattern().Matches(prefix))
        {
            var w = Normalize(m.Value);
            cache[w] = cache.GetValueOrDefault(w) + 1; cacheSize++;
            u = v; v = w;
        }
        var result = new List<ScoredToken>();
        foreach (Match m in TokenPattern().Matches(text))
        {
            var w = Normalize(m.Value);
            var p = Probability(u, v, w);
            if (cacheSize > 0 && CacheWeight > 0)
                p = (1 - CacheWeight) * p + CacheWeight * cache.GetValueOrDefault(w) / (double)cacheSize;
            result.Add(new ScoredToken(m.Index, m.Length, (float)Math.Log(p)));
            cache[w] = cache.GetValueOrDefault(w) + 1; cacheSize++;
            u = v; v = w;
        }
        return result;
    }

    double Probability(string u, string v, string w)
    {
        // lowest order: continuation unigram, interpolated with a uniform over the vocabulary plus one unknown word
        var uniform = 1.0 / (_vocab + 1);
        var pUni = _bigramTypes == 0 ? uniform
            : Math.Max(_unigramContinuation.GetValueOrDefault(w) - Discount, 0) / _bigramTypes + Discount * _vocab / _bigramTypes * uniform;

        var pBi = pUni;
        if (_middle.TryGetValue(v, out var mid) && mid.Total > 0)
            pBi = Math.Max(_bigramContinuation.GetValueOrDefault(v + "\u0001" + w) - Discount, 0) / mid.Total
                  + Discount * mid.Distinct / mid.Total * pUni;

        var hist = u + "\u0001" + v;
        if (!_history.TryGetValue(hist, out var h) || h.Total == 0) return pBi;
        return Math.Max(_trigram.GetValueOrDefault(hist + "\u0001" + w) - Discount, 0) / h.Total
               + Discount * h.Distinct / h.Total * pBi;
    }

    // Lower-cased words; every whitespace run of one kind maps to one symbol so indentation width does not matter.
    static string Normalize(string token) => token[0] switch
    {
        '\n' or '\r' => "\n",
        _ when char.IsWhiteSpace(token[0]) => " ",
        _ => token.ToLowerInvariant(),
    };
}
