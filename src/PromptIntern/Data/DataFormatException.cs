namespace PromptIntern.Data;

/// <summary>Bad input data: names the file, the 1-based line (0 when not line-bound) and the field at fault.</summary>
public sealed class DataFormatException(string file, int line, string field, string problem)
    : Exception($"{file}:{(line > 0 ? line.ToString() : "-")}: field '{field}': {problem}")
{
    public string File { get; } = file;
    public int Line { get; } = line;
    public string Field { get; } = field;
    public string Problem { get; } = problem;
}
