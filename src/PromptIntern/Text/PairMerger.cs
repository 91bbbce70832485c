namespace PromptIntern.Text;

/// <summary>The merge loop of BPE training over a fixed multiset of words. Keeps, for every adjacent pair, its weighted
/// count and the words it occurs in, and a max-heap of pairs whose stale entries are corrected when popped.</summary>
internal sealed class PairMerger
{
    readonly int[][] _words;
    readonly int[] _lengths;
    readonly long[] _freqs;
    readonly Dictionary<long, long> _counts = new();
    readonly Dictionary<long, List<int>> _where = new();
    readonly PriorityQueue<long, (long Count, long Pair)> _heap = new(Comparer<(long Count, long Pair)>.Create(
        (x, y) => x.Count != y.Count ? y.Count.CompareTo(x.Count) : x.Pair.CompareTo(y.Pair)));
    readonly int[] _stamp;

    public PairMerger(int[][] words, long[] freqs)
    {
        _words = words;
        _freqs = freqs;
        _lengths = words.Select(w => w.Length).ToArray();
        _stamp = new int[words.Length];
        for (int w = 0; w < words.Length; w++)
            for (int i = 0; i + 1 < words[w].Length; i++)
            {
                long p = Key(words[w][i], words[w][i + 1]);
                _counts[p] = _counts.GetValueOrDefault(p) + freqs[w];
                Where(p).Add(w);
            }
        foreach (var (p, c) in _counts) _heap.Enqueue(p, (c, p));
    }

    /// <summary>Performs up to <paramref name="newTokens"/> merges that add a token; appends to <paramref name="tokens"/>
    /// (id -> bytes) and <paramref name="ids"/> (byte-level string -> id); returns the merges as "left right".</summary>
    public List<string> Run(int newTokens, int minFrequency, List<byte[]> tokens, Dictionary<string, int> ids,
        IProgress<BpeTrainingProgress>? progress, CancellationToken cancel)
    {
        var merges = new List<string>();
        int added = 0, round = 0;
        var touched = new HashSet<long>();
        while (added < newTokens && _heap.TryDequeue(out long pair, out var prio))
        {
            cancel.ThrowIfCancellationRequested();
            long current = _counts.GetValueOrDefault(pair);
            if (current != prio.Count)
            {
                if (current > 0) _heap.Enqueue(pair, (current, pair));
                continue;
            }
            if (current < minFrequency) break;

            int a = (int)(pair >> 32), b = (int)pair;
            var merged = tokens[a].Concat(tokens[b]).ToArray();
            string text = ByteLevelAlphabet.ToToken(merged);
            // Two different merges can spell the same token ("ab"+"c" and "a"+"bc"); they share its id, as in HF's trainer.
            if (!ids.TryGetValue(text, out int id))
            {
                id = tokens.Count;
                tokens.Add(merged);
                ids[text] = id;
                added++;
            }
            merges.Add(ByteLevelAlphabet.ToToken(tokens[a]) + " " + ByteLevelAlphabet.ToToken(tokens[b]));

            round++;
            touched.Clear();
            foreach (int w in _where[pair])
            {
                if (_stamp[w] == round) continue;
                _stamp[w] = round;
                MergeInWord(w, a, b, id, touched);
            }
            _where.Remove(pair);
            _counts.Remove(pair);
            foreach (long p in touched)
                if (_counts.TryGetValue(p, out long c) && c > 0) _heap.Enqueue(p, (c, p));
            if (added % 64 == 0) progress?.Report(new("merging", added, newTokens));
        }
        progress?.Report(new("merging", added, newTokens));
        return merges;
    }

    // Replaces each (a, b) in word w by id, left to right, and moves the counts of the neighbouring pairs.
    void MergeInWord(int w, int a, int b, int id, HashSet<long> touched)
    {
        var s = _words[w];
        int n = _lengths[w];
        long freq = _freqs[w];
        int write = 0;
        for (int read = 0; read < n; read++)
        {
            if (read + 1 < n && s[read] == a && s[read + 1] == b)
            {
                if (write > 0)
                {
                    Add(Key(s[write - 1], a), -freq);
                    long left = Key(s[write - 1], id);
                    Add(left, freq); touched.Add(left); Where(left).Add(w);
                }
                if (read + 2 < n)
                {
                    Add(Key(b, s[read + 2]), -freq);
                    long right = Key(id, s[read + 2]);
                    Add(right, freq); touched.Add(right); Where(right).Add(w);
                }
                s[write++] = id;
                read++;
            }
            else s[write++] = s[read];
        }
        _lengths[w] = write;
    }

    void Add(long pair, long delta) => _counts[pair] = _counts.GetValueOrDefault(pair) + delta;

    List<int> Where(long pair)
    {
        if (!_where.TryGetValue(pair, out var list)) _where[pair] = list = new List<int>(2);
        return list;
    }

    static long Key(int a, int b) => ((long)a << 32) | (uint)b;
}
