namespace PromptIntern.Cli;

/// <summary>Checks, before long work starts, that a verb will be able to write its output folder: a read-only or
/// missing-permission file system is refused at once with one line naming the option, not after minutes of work.
/// Nothing is created: the probe file goes into the nearest folder that already exists and is removed.</summary>
public static class OutputFolder
{
    /// <summary>Returns the full path of <paramref name="path"/> once its nearest existing folder has taken a probe file.</summary>
    public static string CheckWritable(string path, string option)
    {
        var full = Path.GetFullPath(path);
        var existing = full;
        while (!Directory.Exists(existing))
        {
            if (File.Exists(existing)) throw new IOException($"{option}: cannot write to {full}: {existing} is a file, not a folder");
            existing = Path.GetDirectoryName(existing) ?? throw new IOException($"{option}: cannot write to {full}: no existing parent folder");
        }
        var probe = Path.Combine(existing, $".write-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{option}: cannot write to {full}: {e.Message}", e);
        }
        return full;
    }
}
