using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace PromptIntern.Data;

/// <summary>Who made a result file and when: kit version, git commit, machine, UTC date. Written beside every output.</summary>
public sealed record RunProvenance(string ToolVersion, string GitCommit, string Machine, string Date)
{
    public static RunProvenance Capture(string? repoDir = null) => new(
        typeof(RunProvenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
        ReadGitCommit(repoDir),
        $"{Environment.MachineName} ({RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}, {Environment.ProcessorCount} cores, .NET {Environment.Version})",
        DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"));

    /// <summary>HEAD of the repository holding <paramref name="repoDir"/> (default: the kit root), with "+dirty" when
    /// tracked files have changes; "unknown" without git.</summary>
    public static string ReadGitCommit(string? repoDir = null)
    {
        try
        {
            var dir = repoDir ?? KitPaths.Root;
            var head = Git(dir, "rev-parse HEAD");
            if (head is null) return "unknown";
            var dirty = Git(dir, "status --porcelain --untracked-files=no");
            return string.IsNullOrEmpty(dirty) ? head : head + "+dirty";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or DirectoryNotFoundException or InvalidOperationException)
        {
            return "unknown";
        }
    }

    static string? Git(string dir, string args)
    {
        var psi = new ProcessStartInfo("git", args) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return p.ExitCode == 0 ? output : null;
    }
}
