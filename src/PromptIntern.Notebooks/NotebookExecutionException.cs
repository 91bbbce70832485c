namespace PromptIntern.Notebooks;

/// <summary>A notebook cell failed (compile error, exception, timeout); names the notebook, the cell and the error.</summary>
public sealed class NotebookExecutionException(string notebook, int cellNumber, string firstLine, string error, Exception? inner = null)
    : Exception($"{notebook}: cell {cellNumber} ({firstLine}) failed: {error}", inner)
{
    public string Notebook { get; } = notebook;

    /// <summary>1-based position of the failing cell, markdown cells included.</summary>
    public int CellNumber { get; } = cellNumber;

    /// <summary>The kernel's message: compiler diagnostics or the exception with its stack trace.</summary>
    public string Error { get; } = error;
}

/// <summary>A file is not a runnable C# Polyglot notebook (bad JSON, another kernel); names the file and, where known, the cell.</summary>
public sealed class NotebookFormatException(string notebook, string problem, Exception? inner = null)
    : Exception($"{notebook}: {problem}", inner)
{
    public string Notebook { get; } = notebook;
}
