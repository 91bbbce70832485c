using System.Text.Json;
using PromptIntern.Data;

namespace PromptIntern.Training;

/// <summary>How a training run replaces its checkpoint folder without ever being left with none: the new checkpoint is
/// written into a sibling folder and traded for the old one in one atomic rename (<see cref="AtomicFolder"/>). Where a
/// crash still left only a moved-aside copy (a file system without atomic exchange, or the switch of earlier versions,
/// which renamed the checkpoint to checkpoint.old before moving the new one in), <see cref="Recover"/> puts the newest
/// complete copy back before the run resumes.</summary>
public static class CheckpointSwitch
{
    /// <summary>The file a checkpoint folder is complete with (written last).</summary>
    public const string StateFile = "trainer_state.json";

    public static void Write(string dir, Action<string> fill) => AtomicFolder.Write(dir, fill);

    /// <summary>If <paramref name="dir"/> is missing, renames the newest complete moved-aside copy (dir.old, dir.old-*) back
    /// to it; removes staging folders (dir.tmp*) that a crash left behind. Returns true when a copy was restored.</summary>
    public static bool Recover(string dir)
    {
        var full = Path.GetFullPath(dir).TrimEnd(Path.DirectorySeparatorChar);
        var parent = Path.GetDirectoryName(full)!;
        var name = Path.GetFileName(full);
        if (!Directory.Exists(parent)) return false;
        foreach (var stale in Directory.EnumerateDirectories(parent, name + ".tmp*")) AtomicFolder.DeleteQuietly(stale);
        if (Directory.Exists(full)) return false;
        var newest = Directory.EnumerateDirectories(parent, name + ".old*")
            .Select(d => (Dir: d, Step: CompleteStep(d)))
            .Where(c => c.Step is not null)
            .OrderByDescending(c => c.Step)
            .FirstOrDefault();
        if (newest.Dir is null) return false;
        Directory.Move(newest.Dir, full);
        return true;
    }

    // The step a complete checkpoint folder was saved at, or null when it lacks a readable state file.
    static int? CompleteStep(string dir)
    {
        var state = Path.Combine(dir, StateFile);
        if (!File.Exists(state)) return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(state));
            return doc.RootElement.TryGetProperty("step", out var s) && s.TryGetInt32(out int step) ? step : null;
        }
        catch (JsonException) { return null; }
    }
}
