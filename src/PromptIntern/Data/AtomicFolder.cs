using System.Runtime.InteropServices;

namespace PromptIntern.Data;

/// <summary>Replaces a folder by a complete sibling folder so that readers see the old folder or the new one, never a mix
/// or a gap, and two writers racing for one folder both succeed (the last one wins). On Linux the two folders trade names
/// in one renameat2(RENAME_EXCHANGE) call; elsewhere the old folder is first renamed aside, never deleted before the move.</summary>
public static class AtomicFolder
{
    /// <summary>A fresh staging folder beside <paramref name="target"/> (same file system, so the final rename is atomic).</summary>
    public static string CreateStaging(string target)
    {
        var full = Path.GetFullPath(target).TrimEnd(Path.DirectorySeparatorChar);
        var staging = full + $".tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        Directory.CreateDirectory(staging);
        return staging;
    }

    /// <summary>Writes a folder through <paramref name="fill"/> (given the staging path) and puts it in place of
    /// <paramref name="target"/>; if <paramref name="fill"/> throws, <paramref name="target"/> is left as it was.</summary>
    public static void Write(string target, Action<string> fill)
    {
        var staging = CreateStaging(target);
        try
        {
            fill(staging);
            Replace(staging, target);
        }
        catch (DataFormatException e) when (e.File.StartsWith(staging, StringComparison.Ordinal))
        {
            // The staging folder is gone once this returns: name the file as it would have been in the target.
            throw new DataFormatException(Path.GetFullPath(target).TrimEnd(Path.DirectorySeparatorChar) + e.File[staging.Length..], e.Line, e.Field, e.Problem);
        }
        finally { DeleteQuietly(staging); }
    }

    /// <summary>Moves the complete folder <paramref name="staging"/> to <paramref name="target"/>, replacing what is there.</summary>
    public static void Replace(string staging, string target)
    {
        staging = Path.GetFullPath(staging).TrimEnd(Path.DirectorySeparatorChar);
        target = Path.GetFullPath(target).TrimEnd(Path.DirectorySeparatorChar);
        for (int attempt = 0; ; attempt++)
        {
            if (!Directory.Exists(target))
            {
                try { Directory.Move(staging, target); return; }
                catch (IOException) when (Directory.Exists(target) && attempt < 10) { continue; } // another writer got there first
            }
            if (Exchange(staging, target))
            {
                DeleteQuietly(staging); // now holds the previous folder
                return;
            }
            var aside = target + $".old-{Environment.ProcessId}-{Guid.NewGuid():N}";
            try { Directory.Move(target, aside); }
            catch (DirectoryNotFoundException) when (attempt < 10) { continue; } // another writer moved it first
            try { Directory.Move(staging, target); }
            catch (IOException) when (Directory.Exists(target) && attempt < 10) { DeleteQuietly(aside); continue; }
            DeleteQuietly(aside);
            return;
        }
    }

    /// <summary>Deletes a folder if it exists, ignoring a failure (a leftover temp folder is harmless).</summary>
    public static void DeleteQuietly(string dir)
    {
        try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    const int AtFdCwd = -100;
    const uint RenameExchange = 2;

    [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi)]
    static extern int renameat2(int oldDirFd, string oldPath, int newDirFd, string newPath, uint flags);

    // Swaps the two names atomically; false where the system or the file system cannot (then the caller falls back).
    static bool Exchange(string a, string b)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try { return renameat2(AtFdCwd, a, AtFdCwd, b, RenameExchange) == 0; }
        catch (EntryPointNotFoundException) { return false; }
        catch (DllNotFoundException) { return false; }
    }
}
