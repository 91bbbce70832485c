namespace PromptIntern.Training;

/// <summary>One logging interval of a run (what the console line, metrics.jsonl and progress bars show).</summary>
public sealed record TrainingProgress(int Step, int MaxSteps, double Loss, double LearningRate, double TokensPerSecond, double ElapsedSeconds, long Tokens);

/// <summary>What a finished run reports: final loss, steps run in this call, throughput, and where its outputs are.</summary>
public sealed record TrainingSummary(int Steps, int ResumedFromStep, double FinalLoss, double TokensPerSecond, double ElapsedSeconds, long Tokens, string? OutputDirectory);
