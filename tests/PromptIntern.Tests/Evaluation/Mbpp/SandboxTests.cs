using System.Net;
using System.Net.Sockets;
using PromptIntern.Evaluation.Mbpp;
using Xunit;

namespace PromptIntern.Tests.Evaluation.Mbpp;

/// <summary>Hostile programs: each must be contained, reported with its reason, and leave the host unharmed.</summary>
[Collection("sandbox")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SandboxTests : IDisposable
{
    // PROMPTINTERN_SANDBOX=Bubblewrap (or UnshareUserNamespace) runs this suite against another isolation kind.
    static readonly SandboxOptions Options = new()
    {
        TimeoutSeconds = 3, Parallelism = 2, SandboxUidBase = 62000, // uids no other test's sandbox uses
        Isolation = Enum.TryParse<SandboxIsolation>(Environment.GetEnvironmentVariable("PROMPTINTERN_SANDBOX"), out var kind) ? kind : null,
    };
    static readonly Lazy<PythonSandbox> Shared = new(() => new PythonSandbox(Options));
    readonly string _victimDir;

    public SandboxTests()
    {
        // A world-writable folder and file: only the sandbox's read-only file system can protect them.
        _victimDir = Directory.CreateTempSubdirectory("promptintern-victim-").FullName;
        File.SetUnixFileMode(_victimDir, (UnixFileMode)0b111_111_111);
        File.WriteAllText(Path.Combine(_victimDir, "keep.txt"), "precious");
        File.SetUnixFileMode(Path.Combine(_victimDir, "keep.txt"), (UnixFileMode)0b110_110_110);
    }

    public void Dispose() => Directory.Delete(_victimDir, recursive: true);

    static PythonSandbox Sandbox => Shared.Value;

    [Fact]
    public void Sandbox_IsIsolated_OnThisMachine()
    {
        Assert.NotEqual(SandboxIsolation.None, Sandbox.Isolation);
    }

    [Fact]
    public void CorrectProgram_Passes_AndFailingAssert_Fails()
    {
        var ok = Sandbox.Run("ok", "def add(a, b):\n    return a + b\nassert add(2, 3) == 5\nprint('done')\n");
        Assert.True(ok.Passed, ok.Stderr);
        Assert.Equal(SandboxReason.Passed, ok.Reason);
        Assert.Equal("done", ok.Stdout.Trim());

        var bad = Sandbox.Run("bad", "def add(a, b):\n    return a - b\nassert add(2, 3) == 5\n");
        Assert.False(bad.Passed);
        Assert.Equal(SandboxReason.Failed, bad.Reason);
        Assert.Contains("AssertionError", bad.Stderr);
    }

    [Fact]
    public void InfiniteLoop_IsStopped_AsTimeout()
    {
        var r = Sandbox.Run("loop", "while True:\n    pass\n");
        Assert.Equal(SandboxReason.Timeout, r.Reason);
        Assert.InRange(r.Duration.TotalSeconds, 2.5, Options.TimeoutSeconds + 3);
        var sleeper = Sandbox.Run("sleep", "import time\ntime.sleep(600)\n"); // no CPU use: the wall clock stops it
        Assert.Equal(SandboxReason.Timeout, sleeper.Reason);
        AssertNoSandboxProcessesLeft();
    }

    [Fact]
    public void ProcessLimit_StopsForking_AtTheConfiguredCount()
    {
        // Bounded (at most 64 children), so it is safe to run even where the limit did not hold.
        var program = """
            import os, time
            n = 0
            for _ in range(64):
                try:
                    if os.fork() == 0:
                        time.sleep(5)
                        os._exit(0)
                    n += 1
                except OSError:
                    break
            print(n)
            """;
        var r = Sandbox.Run("nproc", program);
        Assert.True(r.Passed, r.Stderr);
        Assert.InRange(int.Parse(r.Stdout.Trim()), 1, Options.MaxProcesses);
        AssertNoSandboxProcessesLeft();
    }

    [Fact]
    public void ForkBomb_IsContained_AndLeavesNoProcesses()
    {
        var r = Sandbox.Run("forkbomb", "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n");
        Assert.False(r.Passed);
        Assert.Contains(r.Reason, new[] { SandboxReason.Timeout, SandboxReason.Failed, SandboxReason.Memory });
        AssertNoSandboxProcessesLeft();
        using var host = System.Diagnostics.Process.Start("true"); // the host can still start processes
        host!.WaitForExit();
        Assert.Equal(0, host.ExitCode);
    }

    [Fact]
    public void MemoryBomb_IsReported_AsMemory()
    {
        var r = Sandbox.Run("membomb", "chunks = []\nwhile True:\n    chunks.append(bytearray(64 * 1024 * 1024))\n");
        Assert.Equal(SandboxReason.Memory, r.Reason);
        Assert.Contains("MemoryError", r.Stderr);
        var huge = Sandbox.Run("huge", "x = 'a' * (2 * 1024 ** 3)\n");
        Assert.Equal(SandboxReason.Memory, huge.Reason);
    }

    [Fact]
    public void NetworkConnect_Fails_EvenToTheHostsLoopback()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var r = Sandbox.Run("net", $"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=2)\nprint('connected')\n");
        Assert.Equal(SandboxReason.Failed, r.Reason);
        Assert.DoesNotContain("connected", r.Stdout);
        Assert.False(listener.Pending());
        var outside = Sandbox.Run("net2", "import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=2)\n");
        Assert.Equal(SandboxReason.Failed, outside.Reason);
    }

    [Fact]
    public void WritingOutsideTheTempDir_Fails_AndTheHostFilesStay()
    {
        var keep = Path.Combine(_victimDir, "keep.txt");
        var created = Path.Combine(_victimDir, "new.txt");
        var program = $"""
            import os
            open('scratch.txt', 'w').write('mine')   # the temp dir is writable
            assert open('scratch.txt').read() == 'mine'
            for path in [{Py(keep)}, {Py(created)}, '/tmp/promptintern-sandbox-escape.txt']:
                try:
                    open(path, 'w').write('pwned')
                    print('WROTE', path)
                except OSError as e:
                    print('blocked', path, type(e).__name__)
            """;
        var r = Sandbox.Run("write", program);
        Assert.True(r.Passed, r.Stderr);
        Assert.DoesNotContain("WROTE", r.Stdout);
        Assert.Equal("precious", File.ReadAllText(keep));
        Assert.False(File.Exists(created));
        Assert.False(File.Exists("/tmp/promptintern-sandbox-escape.txt"));
    }

    [Fact]
    public void DeletingHostFiles_Fails()
    {
        var r = Sandbox.Run("delete", $"import os, shutil\nos.remove({Py(Path.Combine(_victimDir, "keep.txt"))})\n");
        Assert.Equal(SandboxReason.Failed, r.Reason);
        var r2 = Sandbox.Run("rmtree", $"import shutil\nshutil.rmtree({Py(_victimDir)})\n");
        Assert.Equal(SandboxReason.Failed, r2.Reason);
        Assert.Equal("precious", File.ReadAllText(Path.Combine(_victimDir, "keep.txt")));
    }

    [Fact]
    public void SpawnedSubprocesses_AreKilled_WhenTheProgramEnds()
    {
        var program = """
            import subprocess
            subprocess.Popen(['sleep', '987654'], start_new_session=True)
            subprocess.run(['sh', '-c', 'sleep 987653 &'])
            print(subprocess.run(['id', '-u'], capture_output=True, text=True).stdout.strip())
            """;
        var r = Sandbox.Run("spawn", program);
        Assert.True(r.Passed, r.Stderr);
        Thread.Sleep(200);
        Assert.DoesNotContain(HostCommandLines(), c => c.Contains("987654") || c.Contains("987653"));
        AssertNoSandboxProcessesLeft();
    }

    [Fact]
    public void EnvironmentSecrets_AreNotVisible()
    {
        Environment.SetEnvironmentVariable("PROMPTINTERN_FAKE_SECRET", "hunter2-do-not-leak");
        try
        {
            var program = """
                import os
                print(sorted(os.environ))
                assert 'PROMPTINTERN_FAKE_SECRET' not in os.environ
                for pid in os.listdir('/proc'):
                    if pid.isdigit():
                        try:
                            print(open(f'/proc/{pid}/environ', 'rb').read())
                        except OSError:
                            pass
                """;
            var r = Sandbox.Run("env", program);
            Assert.True(r.Passed, r.Stderr);
            Assert.DoesNotContain("hunter2", r.Stdout);
        }
        finally { Environment.SetEnvironmentVariable("PROMPTINTERN_FAKE_SECRET", null); }
    }

    [Fact]
    public void PrintingMegabytes_IsCut_AtTheOutputCap()
    {
        var r = Sandbox.Run("print", "import sys\nwhile True:\n    sys.stdout.write('x' * 65536)\n");
        Assert.Equal(SandboxReason.OutputLimit, r.Reason);
        Assert.False(r.Passed);
        Assert.True(r.Stdout.Length <= 4000, "excerpt only");
        Assert.True(r.Duration.TotalSeconds < Options.TimeoutSeconds);
    }

    [Fact]
    public void Segfault_IsReported_AsCrash()
    {
        var r = Sandbox.Run("segv", "import ctypes\nctypes.string_at(0)\n");
        Assert.Equal(SandboxReason.Crash, r.Reason);
    }

    [Fact]
    public void RunAll_KeepsOrder_AndRunsInParallel()
    {
        var programs = Enumerable.Range(0, 6).Select(i => ($"p{i}", $"import time\ntime.sleep(0.5)\nprint({i})\n")).ToList();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var results = Sandbox.RunAll(programs);
        sw.Stop();
        Assert.Equal(programs.Select(p => p.Item1), results.Select(r => r.Id));
        Assert.All(results.Select((r, i) => (r, i)), x => Assert.Equal(x.i.ToString(), x.r.Stdout.Trim()));
        Assert.True(sw.Elapsed.TotalSeconds < 6 * 0.5 + 6 * 0.4, $"took {sw.Elapsed.TotalSeconds:0.0} s"); // well under sequential time
    }

    [Fact]
    public void NoWorkingSandbox_IsRefused_WithoutTheUnsafeFlag()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new PythonSandbox(new SandboxOptions { PythonPath = "/nonexistent/python3" }));
        Assert.Contains("--unsafe-no-isolation", e.Message);
    }

    static string Py(string s) => "'" + s.Replace("\\", "\\\\").Replace("'", "\\'") + "'";

    static IEnumerable<string> HostCommandLines()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _)) continue;
            string cmd;
            try { cmd = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' '); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            yield return cmd;
        }
    }

    /// <summary>As root: no process of this suite's sandbox uids is left. Otherwise: no sandboxed python at all.</summary>
    static void AssertNoSandboxProcessesLeft()
    {
        var deadline = DateTime.UtcNow.AddSeconds(3);
        List<string> left;
        do
        {
            left = Environment.UserName == "root"
                ? HostProcesses().Where(p => p.Uid >= Options.SandboxUidBase && p.Uid < Options.SandboxUidBase + Options.Parallelism + 1000).Select(p => p.Cmd).ToList()
                : HostCommandLines().Where(c => c.Contains("-I -B prog.py")).ToList();
            if (left.Count == 0) return;
            Thread.Sleep(100);
        } while (DateTime.UtcNow < deadline);
        Assert.Fail("sandbox processes left behind: " + string.Join(" | ", left));
    }

    static IEnumerable<(int Uid, string Cmd)> HostProcesses()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _)) continue;
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
            yield return (uid, cmd);
        }
    }
}
