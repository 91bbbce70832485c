using PromptIntern.Modeling;

namespace PromptIntern.Training;

/// <summary>
/// Supervised fine-tuning on prompt/completion pairs with the loss on the completion only; LoRA (options.Lora) or full.
/// Continues from the model's current weights (and its attached LoRA, if any), so stages can be chained.
/// </summary>
public static class SupervisedFineTuner
{
    public static TrainingSummary Train(CausalLanguageModel lm, IReadOnlyList<TrainingPair> pairs, TrainOptions options,
        string? checkpointDir = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        options.Validate();
        if (options.MaxSeqLength > lm.Config.MaxSeqLen)
            throw new ArgumentException($"max_seq_length {options.MaxSeqLength} exceeds the model's max_position_embeddings {lm.Config.MaxSeqLen}.");
        if (options.Lora is not null && lm.Lora is null) lm.AttachLora(options.Lora, options.Seed);
        var data = new SupervisedBatches(pairs, lm.Tokenizer, options.MicroBatchSize, options.MaxSeqLength, options.Seed)
        {
            MicrosPerStep = options.GradientAccumulation,
        };
        return TrainingLoop.Run(lm, data, options, checkpointDir, progress, cancel);
    }
}
