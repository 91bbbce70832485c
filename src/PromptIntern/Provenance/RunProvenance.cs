using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PromptIntern.Provenance;

/// <summary>Where and when a result was produced — git commit, machine, UTC date — and with which config, so every result
/// file can carry it. Capture once per run and write it beside the outputs.</summary>
public sealed record RunProvenance(
    [property: JsonPropertyName("commit")] string Commit,
    [property: JsonPropertyName("commit_dirty")] bool? CommitDirty,
    [property: JsonPropertyName("machine")] MachineInfo Machine,
    [property: JsonPropertyName("date_utc")] string DateUtc,
    [property: JsonPropertyName("config")] IReadOnlyDictionary<string, object?> Config)
{
    /// <summary>The commit of the code that runs: inside a GPU bundle, the COMMIT file its build wrote beside the program
    /// (the device machine's copy of the repository may carry an older .git); otherwise <c>git rev-parse HEAD</c> of
    /// <paramref name="repositoryDirectory"/> (default: the kit root, else the current directory); "unknown" without either.</summary>
    public static RunProvenance Capture(IReadOnlyDictionary<string, object?>? config = null, string? repositoryDirectory = null)
    {
        var (commit, dirty) = CodeCommit(repositoryDirectory);
        return new RunProvenance(commit, dirty, MachineInfo.Capture(),
            DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), config ?? new Dictionary<string, object?>());
    }

    static (string Commit, bool? Dirty) CodeCommit(string? repositoryDirectory)
    {
        var bundleCommit = Path.Combine(AppContext.BaseDirectory, "COMMIT");
        if (File.Exists(bundleCommit))
        {
            var built = File.ReadAllText(bundleCommit).Trim();
            return (built.Replace("+dirty", "", StringComparison.Ordinal), built.EndsWith("+dirty", StringComparison.Ordinal));
        }
        var dir = repositoryDirectory ?? TryKitRoot() ?? Directory.GetCurrentDirectory();
        var commit = RunTool("git", dir, "rev-parse", "HEAD")?.Trim();
        // Dirty = uncommitted changes that can change a result: results, notebooks and Markdown do not (a run that
        // rewrites committed results would otherwise mark every experiment after its first as dirty).
        var status = commit == null ? null : RunTool("git", dir, "status", "--porcelain", "--untracked-files=no", "--", ".",
            ":(exclude)results", ":(exclude)notebooks", ":(exclude)*.md");
        return (string.IsNullOrEmpty(commit) ? "unknown" : commit, status == null ? null : status.Trim().Length > 0);
    }

    public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true });

    /// <summary>One line for Markdown footers: commit, machine, date.</summary>
    [JsonIgnore]
    public string Summary => $"commit {Commit[..Math.Min(10, Commit.Length)]}{(CommitDirty == true ? " (with uncommitted changes)" : "")}; " +
        $"{Machine.Hostname} ({Machine.CpuCount} cores, {Machine.Cpu}{(Machine.Gpus.Count > 0 ? ", " + Machine.Gpus[0] : "")}, {Machine.Os}); {DateUtc}";

    static string? TryKitRoot()
    {
        try { return Data.KitPaths.Root; } catch (DirectoryNotFoundException) { return null; }
    }

    /// <summary>Runs a tool and returns its stdout, or null when it is missing, fails or takes over 10 s.</summary>
    internal static string? RunTool(string file, string? workingDirectory, params string[] args)
    {
        try
        {
            var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            if (workingDirectory != null) psi.WorkingDirectory = workingDirectory;
            foreach (var a in args) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi);
            if (p == null) return null;
            var stdout = p.StandardOutput.ReadToEndAsync();
            _ = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(10_000)) { p.Kill(true); return null; }
            return p.ExitCode == 0 ? stdout.Result : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException) { return null; }
    }
}

/// <summary>The machine a run used: host name, OS, CPU model and count, GPUs (from nvidia-smi when present).</summary>
public sealed record MachineInfo(
    [property: JsonPropertyName("hostname")] string Hostname,
    [property: JsonPropertyName("os")] string Os,
    [property: JsonPropertyName("cpu")] string Cpu,
    [property: JsonPropertyName("cpu_count")] int CpuCount,
    [property: JsonPropertyName("gpus")] IReadOnlyList<string> Gpus,
    [property: JsonPropertyName("dotnet")] string DotNet,
    [property: JsonPropertyName("torch_env")] IReadOnlyDictionary<string, string>? TorchEnv = null)
{
    /// <summary>Environment variables that change what libtorch or the kit does at run time (e.g.
    /// TORCH_CUDNN_SDPA_DEPRIORITIZED picks the GPU attention backend); recorded so two results can be told apart.</summary>
    static readonly string[] TorchEnvPrefixes = ["TORCH_", "PYTORCH_", "CUBLAS_", "CUDNN_", "PROMPTINTERN_"];

    /// <summary>The variables of <see cref="TorchEnvPrefixes"/> set in this process, by name.</summary>
    public static SortedDictionary<string, string> CaptureTorchEnv()
    {
        var env = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
            if (e.Key is string k && TorchEnvPrefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal)))
                env[k] = e.Value as string ?? "";
        return env;
    }

    public static MachineInfo Capture()
    {
        string cpu = "unknown";
        try
        {
            cpu = File.Exists("/proc/cpuinfo")
                ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString()
                : RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (IOException) { }
        var gpus = (RunProvenance.RunTool("nvidia-smi", null, "--query-gpu=name,memory.total", "--format=csv,noheader") ?? "")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        return new MachineInfo(Environment.MachineName, RuntimeInformation.OSDescription, cpu, Environment.ProcessorCount, gpus,
            RuntimeInformation.FrameworkDescription, CaptureTorchEnv());
    }

    public override string ToString() =>
        $"{Hostname} ({Os}; {CpuCount} × {Cpu}{(Gpus.Count > 0 ? "; " + string.Join(", ", Gpus) : "")})";
}
