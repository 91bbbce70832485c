using PromptIntern.Modeling;

namespace PromptIntern.Training;

/// <summary>Pretrains a causal LM on plain-text documents (next-token loss on every token of random windows).</summary>
public static class Pretrainer
{
    public static TrainingSummary Train(CausalLanguageModel lm, IEnumerable<string> documents, TrainOptions options, string? outDir,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        var tokens = PretrainBatches.Tokenize(documents, lm.Tokenizer);
        return Train(lm, tokens, options, outDir, progress, cancel);
    }

    /// <summary>Same, from an already tokenized stream.</summary>
    public static TrainingSummary Train(CausalLanguageModel lm, int[] tokens, TrainOptions options, string? outDir,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        options.Validate();
        if (options.MaxSeqLength > lm.Config.MaxSeqLen)
            throw new ArgumentException($"max_seq_length {options.MaxSeqLength} exceeds the model's max_position_embeddings {lm.Config.MaxSeqLen}.");
        var data = new PretrainBatches(tokens, options.MicroBatchSize, options.MaxSeqLength, options.Seed);
        return TrainingLoop.Run(lm, data, options, outDir, progress, cancel);
    }
}
