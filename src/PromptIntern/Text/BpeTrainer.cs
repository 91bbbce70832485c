using System.Text;

namespace PromptIntern.Text;

/// <summary>Learns a byte-level BPE vocabulary from text: pre-tokenize, count distinct pre-tokens, then repeatedly merge
/// the most frequent adjacent pair. Pair counts are updated incrementally, touching only the words that hold the merged
/// pair, so an 8k vocabulary trains on tens of MB in about a minute on one core. Deterministic: ties go to the pair of
/// smaller token ids.</summary>
public static class BpeTrainer
{
    public static BpeModel Train(IEnumerable<string> corpus, BpeTrainerOptions options,
        IProgress<BpeTrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        int learnedTarget = options.VocabSize - 256 - options.SpecialTokens.Count;
        if (learnedTarget < 0)
            throw new ArgumentOutOfRangeException(nameof(options), $"vocab size {options.VocabSize} is smaller than 256 bytes + {options.SpecialTokens.Count} special tokens");
        if (options.SpecialTokens.Distinct().Count() != options.SpecialTokens.Count)
            throw new ArgumentException("special tokens must be distinct", nameof(options));

        var (words, freqs) = CountWords(corpus, options.Pattern, progress, cancel);
        var tokens = new List<byte[]>(options.VocabSize);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int b = 0; b < 256; b++) { tokens.Add([(byte)b]); ids[ByteLevelAlphabet.Char((byte)b).ToString()] = b; }

        var merges = new PairMerger(words, freqs).Run(learnedTarget, options.MinPairFrequency, tokens, ids, progress, cancel);

        var vocab = new Dictionary<string, int>(ids, StringComparer.Ordinal);
        var specials = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var s in options.SpecialTokens)
        {
            if (vocab.ContainsKey(s)) throw new ArgumentException($"special token '{s}' collides with a learned token", nameof(options));
            specials[s] = tokens.Count + specials.Count;
        }
        foreach (var (s, id) in specials) vocab[s] = id;
        return new BpeModel(vocab, merges, specials, options.Pattern);
    }

    /// <summary>Distinct pre-tokens as byte-id sequences, with how often each occurs.</summary>
    static (int[][] Words, long[] Freqs) CountWords(IEnumerable<string> corpus, string pattern,
        IProgress<BpeTrainingProgress>? progress, CancellationToken cancel)
    {
        var regex = PreTokenizerPattern.Compile(pattern);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var lookup = counts.GetAlternateLookup<ReadOnlySpan<char>>();
        long chars = 0, docs = 0;
        foreach (var text in corpus)
        {
            cancel.ThrowIfCancellationRequested();
            foreach (var m in regex.EnumerateMatches(text))
            {
                var span = text.AsSpan(m.Index, m.Length);
                lookup[span] = lookup.TryGetValue(span, out long c) ? c + 1 : 1;
            }
            chars += text.Length;
            if (++docs % 1000 == 0) progress?.Report(new("counting", chars, -1));
        }
        progress?.Report(new("counting", chars, chars));

        // Sorted so that word indices, and with them every tie, do not depend on hash order.
        var keys = counts.Keys.ToArray();
        Array.Sort(keys, StringComparer.Ordinal);
        var words = new int[keys.Length][];
        var freqs = new long[keys.Length];
        for (int i = 0; i < keys.Length; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(keys[i]);
            words[i] = Array.ConvertAll(bytes, b => (int)b);
            freqs[i] = counts[keys[i]];
        }
        return (words, freqs);
    }
}
