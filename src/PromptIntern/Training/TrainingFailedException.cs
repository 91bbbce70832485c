namespace PromptIntern.Training;

/// <summary>Training stopped without finishing (the loss became NaN or infinite, or libtorch refused a step); the message
/// says at which step and where the last good checkpoint is, from which the run resumes.</summary>
public sealed class TrainingFailedException(string message, Exception? inner = null) : Exception(message, inner);
