namespace PromptIntern.Data;

/// <summary>Writes files so that readers never see half a file: write a temp file beside the target, then move it over.</summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string text) => Write(path, tmp => File.WriteAllText(tmp, text));

    public static void WriteLines(string path, IEnumerable<string> lines) => Write(path, tmp => File.WriteAllLines(tmp, lines));

    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, tmp => File.WriteAllBytes(tmp, bytes));

    /// <summary>Runs <paramref name="writeTemp"/> on a temp path in the target's folder, then renames it onto <paramref name="path"/>.</summary>
    public static void Write(string path, Action<string> writeTemp)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = full + $".tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try { writeTemp(tmp); File.Move(tmp, full, overwrite: true); }
        finally { if (File.Exists(tmp)) File.Delete(tmp); }
    }
}
