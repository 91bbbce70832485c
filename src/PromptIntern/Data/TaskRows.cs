namespace PromptIntern.Data;

/// <summary>Checks that a file's rows belong to the task they are used for: MBPP rows carry their tests, NL2Formula rows
/// their table, and NL2Bash rows neither. Scoring another task's rows would compare answers without the context the
/// metric needs (an NL2Formula score of NL2Bash rows is exact match alone) and report a number that means nothing.</summary>
public static class TaskRows
{
    /// <summary>The field a task's rows must have, or null.</summary>
    static string? Required(string task) => task switch
    {
        TaskName.Mbpp => "tests",
        TaskName.Nl2Formula => "table",
        _ => null,
    };

    /// <summary>Throws a <see cref="DataFormatException"/> naming the file and the first row that does not fit <paramref name="task"/>.</summary>
    public static IReadOnlyList<TaskExample> CheckFit(string task, IReadOnlyList<TaskExample> rows, string path)
    {
        var t = TaskName.Parse(task);
        var need = Required(t);
        foreach (var row in rows)
        {
            if (need is not null && !row.Extra.ContainsKey(need))
                throw new DataFormatException(path, 0, need, $"row '{row.Id}' has no '{need}', which every {t} row needs: is this another task's file?");
            if (need is null && TaskName.All.Select(Required).OfType<string>().FirstOrDefault(row.Extra.ContainsKey) is { } other)
                throw new DataFormatException(path, 0, other, $"row '{row.Id}' has '{other}', a field of another task's rows: is this a {t} file?");
        }
        return rows;
    }
}
