using System.Diagnostics;
using PromptIntern.Evaluation.Mbpp;
using Xunit;

namespace PromptIntern.Tests.Evaluation.Mbpp;

/// <summary>The sandbox the sandbox tests share, and what they look for among the host's processes.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
static class SandboxHost
{
    // PROMPTINTERN_SANDBOX=None (with the unsafe flag set below) runs the suites against the unisolated fallback.
    public static readonly SandboxOptions Options = new()
    {
        TimeoutSeconds = 3, Parallelism = 2, SandboxUidBase = 62000, // uids no other test's sandbox uses
        Isolation = Enum.TryParse<SandboxIsolation>(Environment.GetEnvironmentVariable("PROMPTINTERN_SANDBOX"), out var kind) ? kind : null,
        UnsafeNoIsolation = kind == SandboxIsolation.None,
    };

    static readonly Lazy<PythonSandbox> Shared = new(() => new PythonSandbox(Options));

    public static PythonSandbox Sandbox => Shared.Value;

    /// <summary>Starts the kit's CLI (<c>dotnet PromptIntern.Cli.dll</c>) as a child process, output redirected.</summary>
    public static Process StartCli(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(typeof(PromptIntern.Cli.Verbs.EvalVerb).Assembly.Location);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    public static string Py(string s) => "'" + s.Replace("\\", "\\\\").Replace("'", "\\'") + "'";

    public static IEnumerable<(int Pid, int Uid, string Cmd)> Processes()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            int uid;
            string cmd;
            try
            {
                var line = File.ReadLines(Path.Combine(dir, "status")).First(l => l.StartsWith("Uid:", StringComparison.Ordinal));
                uid = int.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1]);
                cmd = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
            }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            catch (InvalidOperationException) { continue; }
            yield return (pid, uid, cmd);
        }
    }

    /// <summary>Waits up to <paramref name="seconds"/> for no host process to match; fails naming those left.</summary>
    public static void AssertGone(Func<(int Pid, int Uid, string Cmd), bool> match, string what, double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        List<string> left;
        do
        {
            left = Processes().Where(match).Select(p => $"{p.Pid} uid {p.Uid}: {(p.Cmd.Length > 80 ? p.Cmd[..80] + "…" : p.Cmd)}").ToList();
            if (left.Count == 0) return;
            Thread.Sleep(100);
        } while (DateTime.UtcNow < deadline);
        Assert.Fail($"{what} left behind: " + string.Join(" | ", left));
    }

    /// <summary>As root: no process of the suite's sandbox uids is left. Otherwise: no sandboxed program at all.</summary>
    public static void AssertNoSandboxProcessesLeft() =>
        AssertGone(p => Environment.UserName == "root"
            ? p.Uid >= Options.SandboxUidBase && p.Uid < Options.SandboxUidBase + Options.Parallelism + 1000
            : p.Cmd.Contains("promptintern-sandbox", StringComparison.Ordinal), "sandbox processes");
}
