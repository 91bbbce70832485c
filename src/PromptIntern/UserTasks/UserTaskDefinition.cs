using PromptIntern.Data;

namespace PromptIntern.UserTasks;

/// <summary>A task a user brings, read from one small JSON file (<see cref="UserTaskFile"/>): where its train and dev rows
/// are, its instruction template, an optional example pool, the metric, and the spans compression must keep.
/// Every path is absolute, resolved relative to the task file.</summary>
public sealed record UserTaskDefinition
{
    /// <summary>The task file this definition was read from.</summary>
    public required string SourceFile { get; init; }
    /// <summary>A short name (letters, digits, '-', '_', '.'), used in result folder names.</summary>
    public required string Name { get; init; }
    public string Description { get; init; } = "";
    public required string TrainFile { get; init; }
    public required string DevFile { get; init; }
    public required string TemplateFile { get; init; }
    /// <summary>Rows the few-shot examples are retrieved from; null = the train file.</summary>
    public string? ExamplesFile { get; init; }
    public FieldMapping Fields { get; init; } = FieldMapping.Kit;
    public required UserMetricSpec Metric { get; init; }
    /// <summary>Literal spans every compressed template keeps (each occurs in the template).</summary>
    public IReadOnlyList<string> ForcedSpans { get; init; } = [];
    /// <summary>False (default): an answer is one line and generation stops at the newline.</summary>
    public bool MultilineAnswers { get; init; }

    public string Directory => Path.GetDirectoryName(SourceFile)!;

    public IReadOnlyList<TaskExample> LoadTrain() => UserTaskData.Load(TrainFile, Fields, SourceFile);
    public IReadOnlyList<TaskExample> LoadDev() => UserTaskData.Load(DevFile, Fields, SourceFile);
    public IReadOnlyList<TaskExample> LoadExamplePool() => ExamplesFile == null ? LoadTrain() : UserTaskData.Load(ExamplesFile, Fields, SourceFile);

    /// <summary>The instruction template's text (trimmed).</summary>
    public string LoadTemplate() => File.ReadAllText(TemplateFile).Trim();

    /// <summary>The metric that scores this task.</summary>
    public UserTaskMetric CreateMetric() => new(Name, Metric, Directory);
}
