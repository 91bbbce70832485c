using PromptIntern.Text;

namespace PromptIntern.Training;

/// <summary>Random fixed-length windows of a token stream (documents joined with BOS … EOS), as nanoGPT's get_batch.</summary>
public sealed class PretrainBatches : IBatchSource
{
    readonly int[] _tokens;
    readonly int _batch, _seqLen;
    readonly long _seed;

    public PretrainBatches(int[] tokens, int batch, int seqLen, long seed)
    {
        if (tokens.Length < seqLen + 1)
            throw new ArgumentException($"Corpus has {tokens.Length} tokens; need at least max_seq_length + 1 = {seqLen + 1}.");
        (_tokens, _batch, _seqLen, _seed) = (tokens, batch, seqLen, seed);
    }

    public int TokenCount => _tokens.Length;

    /// <summary>Tokenizes documents into one stream: BOS doc EOS BOS doc EOS … (no BOS where the tokenizer takes none).</summary>
    public static int[] Tokenize(IEnumerable<string> documents, ITokenizer tokenizer)
    {
        var all = new List<int>();
        foreach (var d in documents)
        {
            if (string.IsNullOrWhiteSpace(d)) continue;
            all.AddRange(tokenizer.BosPrefix);
            all.AddRange(tokenizer.Encode(d));
            all.Add(tokenizer.EosId);
        }
        return all.ToArray();
    }

    public Batch Get(int step, int micro)
    {
        var rng = new Random(unchecked((int)(_seed * 1_000_003 + step * 7919L + micro)));
        var ids = new long[_batch * _seqLen];
        for (int r = 0; r < _batch; r++)
        {
            int start = rng.Next(_tokens.Length - _seqLen + 1);
            for (int j = 0; j < _seqLen; j++) ids[r * _seqLen + j] = _tokens[start + j];
        }
        return new Batch(ids, ids, _batch, _seqLen);
    }
}
