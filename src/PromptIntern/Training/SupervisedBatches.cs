using PromptIntern.Text;

namespace PromptIntern.Training;

/// <summary>Prompt/completion examples as right-padded batches: ids = BOS prompt completion EOS, labels = -100 on BOS, prompt and padding. Epochs reshuffle under the seed.</summary>
public sealed class SupervisedBatches : IBatchSource
{
    readonly List<(int[] Ids, int PromptLength)> _examples;
    readonly int _batch, _padId;
    readonly long _seed;
    readonly Dictionary<int, int[]> _orders = [];

    public SupervisedBatches(IReadOnlyList<TrainingPair> pairs, ITokenizer tokenizer, int batch, int maxSeqLength, long seed)
    {
        if (pairs.Count == 0) throw new ArgumentException("No training pairs.");
        (_batch, _padId, _seed) = (batch, tokenizer.PadId, seed);
        _examples = pairs.Select((p, i) => Encode(p, i, tokenizer, maxSeqLength)).ToList();
    }

    public int Count => _examples.Count;
    public long PromptTokens => _examples.Sum(e => (long)e.PromptLength);
    public long TotalTokens => _examples.Sum(e => (long)e.Ids.Length);

    static (int[], int) Encode(TrainingPair p, int index, ITokenizer tok, int maxLen)
    {
        var prompt = tok.Encode(p.Prompt);
        var completion = tok.Encode(p.Completion).Append(tok.EosId).ToArray();
        if (completion.Length == 0 || string.IsNullOrEmpty(p.Completion)) throw new ArgumentException($"Training pair {index}: empty completion.");
        if (completion.Length >= maxLen)
            completion = completion[..(maxLen - 1)]; // keep at least one prompt token before the answer
        var bos = tok.BosPrefix;
        int keep = Math.Max(0, Math.Min(prompt.Length, maxLen - bos.Length - completion.Length));
        var ids = bos.Concat(prompt[^keep..]).Concat(completion).ToArray(); // long prompts lose their start (the query sits at the end)
        return (ids, bos.Length + keep);
    }

    int[] Order(int epoch)
    {
        if (_orders.TryGetValue(epoch, out var o)) return o;
        o = Enumerable.Range(0, _examples.Count).ToArray();
        new Random(unchecked((int)(_seed * 31 + epoch))).Shuffle(o);
        if (_orders.Count > 4) _orders.Clear();
        return _orders[epoch] = o;
    }

    public Batch Get(int step, int micro)
    {
        // Global position of this micro-batch; callers give micro in [0, accumulation).
        var rows = new List<(int[] Ids, int PromptLength)>(_batch);
        for (int r = 0; r < _batch; r++)
        {
            long g = ((long)step * MicrosPerStep + micro) * _batch + r;
            int epoch = (int)(g / _examples.Count);
            rows.Add(_examples[Order(epoch)[(int)(g % _examples.Count)]]);
        }
        int cols = rows.Max(x => x.Ids.Length);
        var ids = new long[_batch * cols];
        var labels = new long[_batch * cols];
        for (int r = 0; r < _batch; r++)
            for (int j = 0; j < cols; j++)
            {
                bool real = j < rows[r].Ids.Length;
                ids[r * cols + j] = real ? rows[r].Ids[j] : _padId;
                labels[r * cols + j] = real && j >= rows[r].PromptLength ? rows[r].Ids[j] : -100;
            }
        return new Batch(ids, labels, _batch, cols);
    }

    /// <summary>Micro-batches per optimizer step (set by the trainer from gradient_accumulation).</summary>
    public int MicrosPerStep { get; set; } = 1;
}
