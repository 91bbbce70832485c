namespace PromptIntern.Training;

/// <summary>One supervised example: the model reads Prompt and learns to write Completion (loss on the completion only).</summary>
public sealed record TrainingPair(string Prompt, string Completion);
