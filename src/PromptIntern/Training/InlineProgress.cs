namespace PromptIntern.Training;

/// <summary>IProgress that calls back on the reporting thread, in order (System.Progress posts to the thread pool, which reorders console output).</summary>
public sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
