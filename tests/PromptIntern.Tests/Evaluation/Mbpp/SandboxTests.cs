using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using PromptIntern.Data;
using PromptIntern.Evaluation.Mbpp;
using Xunit;

namespace PromptIntern.Tests.Evaluation.Mbpp;

/// <summary>Hostile programs: each must be contained, reported with its reason, and leave the host unharmed.</summary>
[Collection("sandbox")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SandboxTests : IDisposable
{
    static readonly SandboxOptions Options = SandboxHost.Options;
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

    static PythonSandbox Sandbox => SandboxHost.Sandbox;

    [Fact]
    public void Sandbox_IsIsolated_OnThisMachine()
    {
        Assert.Equal(Options.Isolation ?? SandboxIsolation.Namespaces, Sandbox.Isolation);
    }

    [Fact]
    public void ReadingTheRepositoryOrHostFiles_Fails_AndOnlyTheRuntimeIsVisible()
    {
        var secrets = new[] { Path.GetFullPath(KitPaths.Split(TaskName.Mbpp, "dev")), "/etc/passwd", "/etc/hostname", "/etc/os-release",
            "/root/.bashrc", "/proc/1/root/etc/passwd", "/proc/1/environ", _victimDir + "/keep.txt" };
        var program = $$"""
            import os
            for path in [{{string.Join(", ", secrets.Select(Py))}}]:
                try:
                    print('READ', path, len(open(path, 'rb').read()))
                except OSError as e:
                    print('blocked', path, type(e).__name__)
            print('ROOT', ' '.join(sorted(os.listdir('/'))))
            print('ETC', ' '.join(sorted(os.listdir('/etc'))))
            """;
        var r = Sandbox.Run("read", program);
        Assert.True(r.Passed, r.Stderr);
        Assert.DoesNotContain("READ", r.Stdout);
        var root = r.Stdout.Split('\n').Single(l => l.StartsWith("ROOT ", StringComparison.Ordinal))[5..].Split(' ');
        Assert.Subset(new HashSet<string> { "bin", "dev", "etc", "lib", "lib32", "lib64", "libx32", "proc", "sbin", "tmp", "usr" }, root.ToHashSet());
        var etc = r.Stdout.Split('\n').Single(l => l.StartsWith("ETC", StringComparison.Ordinal))[3..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Subset(new HashSet<string> { "ld.so.cache" }, etc.ToHashSet());
    }

    [Fact]
    public void DiskFlood_StopsAtTheQuota_NotJustThePerFileCap()
    {
        var small = new PythonSandbox(Options with { DiskBytes = 8L << 20, MaxFileBytes = 2L << 20 });
        var program = """
            import errno
            written = 0
            for i in range(100):   # 100 files at the per-file cap would be 200 MB
                try:
                    with open(f'flood{i}.bin', 'wb') as f:
                        f.write(b'x' * (2 << 20))
                    written += 2 << 20
                except OSError as e:
                    print('stopped', errno.errorcode[e.errno])
                    break
            print('written', written)
            """;
        var r = small.Run("flood", program);
        Assert.True(r.Passed, r.Stderr);
        Assert.Contains("stopped ENOSPC", r.Stdout);
        long written = long.Parse(r.Stdout.Split('\n').Single(l => l.StartsWith("written", StringComparison.Ordinal))[8..]);
        Assert.InRange(written, 2L << 20, 8L << 20);
        var manyFiles = small.Run("inodes", "n = 0\ntry:\n    while n < 100000:\n        open(f'f{n}', 'w').close()\n        n += 1\nexcept OSError:\n    pass\nprint(n)\n");
        Assert.True(manyFiles.Passed, manyFiles.Stderr);
        Assert.InRange(int.Parse(manyFiles.Stdout.Trim()), 1, Options.DiskFiles);
    }

    [Fact]
    public void CreatingNamespaces_Fails_FromInsideTheSandbox()
    {
        // The unshare binary asks the kernel directly, so this tests the namespace limit, not the harness's audit hook.
        var program = """
            import subprocess
            for flags in (['--user'], ['--map-root-user'], ['--map-root-user', '--mount'], ['--mount'], ['--net'], ['--pid', '--fork']):
                print(' '.join(flags), 'UNSHARED' if subprocess.run(['unshare', *flags, 'true'], capture_output=True).returncode == 0 else 'refused')
            """;
        var r = Sandbox.Run("unshare", program);
        Assert.True(r.Passed, r.Stderr);
        Assert.DoesNotContain("UNSHARED", r.Stdout);
        Assert.Equal(6, r.Stdout.Split('\n').Count(l => l.EndsWith(" refused", StringComparison.Ordinal)));
    }

    [Fact]
    public void KilledKit_TakesItsSandboxedPrograms_WithIt()
    {
        using var dir = new TempDir();
        string marker = (7_650_000 + Random.Shared.Next(10_000)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var evalFile = dir.Write("eval.jsonl", """{"id": "mbpp-kill", "query": "q", "answer": "a", "tests": ["assert True"]}""" + "\n");
        var code = $"import subprocess, time\nsubprocess.Popen(['sleep', '{marker}'])\ntime.sleep({marker})\n";
        var preds = dir.Write("preds.jsonl", JsonSerializer.Serialize(new { id = "mbpp-kill", prediction = code }) + "\n");
        using var kit = SandboxHost.StartCli("eval", "--task", "mbpp", "--eval-file", evalFile, "--predictions", preds, "--timeout", "120",
            "--parallel", "1", "--out", Path.Combine(dir.Path, "out"));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!SandboxHost.Processes().Any(p => p.Cmd.Contains(marker, StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline && !kit.HasExited, "the kit never started the program: " + (kit.HasExited ? kit.StandardOutput.ReadToEnd() : "timeout"));
            Thread.Sleep(100);
        }
        kit.Kill(); // SIGKILL to the kit alone: it gets no chance to clean up
        kit.WaitForExit();
        SandboxHost.AssertGone(p => p.Cmd.Contains(marker, StringComparison.Ordinal), "programs of the killed kit");
    }

    [Theory]
    [InlineData("--timeout", "0")]
    [InlineData("--timeout", "1e12")]
    [InlineData("--memory-mb", "-5")]
    public async Task EvalVerb_RefusesLimits_ThatWouldDisableTheSandbox_NamingTheOption(string option, string value)
    {
        using var dir = new TempDir();
        using var cli = SandboxHost.StartCli("eval", "--task", "mbpp", "--predictions", dir.Write("p.jsonl", ""),
            "--out", Path.Combine(dir.Path, "out"), option, value);
        var output = cli.StandardOutput.ReadToEndAsync();
        var errors = cli.StandardError.ReadToEndAsync();
        await cli.WaitForExitAsync();
        var said = await output + await errors;
        Assert.Equal(2, cli.ExitCode);
        Assert.Contains(option, said);
        Assert.DoesNotContain("--unsafe-no-isolation", said);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "out")));
    }

    [Fact]
    public void UnisolatedFallback_IsOnlyTakenWhenAsked_StillNeedsTheToken_AndRemovesItsFolder()
    {
        Assert.Throws<InvalidOperationException>(() => new PythonSandbox(Options with { Isolation = SandboxIsolation.None }));
        var unsafeBox = new PythonSandbox(Options with { Isolation = SandboxIsolation.None, UnsafeNoIsolation = true });
        Assert.Equal(SandboxIsolation.None, unsafeBox.Isolation);
        var honest = unsafeBox.Run("honest", "import os\nprint(os.path.basename(os.getcwd()))\nassert 1 + 1 == 2\n");
        Assert.True(honest.Passed, honest.Stderr);
        Assert.StartsWith($"promptintern-sbx-{Environment.ProcessId}-", honest.Stdout.Trim());
        Assert.False(Directory.Exists(Path.Combine(Path.GetTempPath(), honest.Stdout.Trim())));
        var faker = unsafeBox.Run("faker", "import os\nos._exit(0)\nassert False\n");
        Assert.Equal(SandboxReason.Incomplete, faker.Reason);
    }

    [Fact]
    public void StaleTempFolders_OfAKitThatDied_AreRemovedOnTheNextStart()
    {
        using var gone = Process.Start("true")!;
        gone.WaitForExit();
        var stale = Directory.CreateTempSubdirectory($"promptintern-sbx-{gone.Id}-").FullName;
        var live = Directory.CreateTempSubdirectory($"promptintern-sbx-{Environment.ProcessId}-").FullName;
        File.WriteAllText(Path.Combine(stale, "prog.py"), "left behind");
        try
        {
            _ = new PythonSandbox(Options);
            Assert.False(Directory.Exists(stale));
            Assert.True(Directory.Exists(live)); // a running kit's folder stays
        }
        finally { Directory.Delete(live, recursive: true); }
    }

    [Fact]
    public void NonPositiveLimits_AreRefused_NotTreatedAsNoLimit()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PythonSandbox(Options with { TimeoutSeconds = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PythonSandbox(Options with { TimeoutSeconds = double.NaN }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PythonSandbox(Options with { TimeoutSeconds = double.PositiveInfinity }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PythonSandbox(Options with { MemoryBytes = -5L << 20 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PythonSandbox(Options with { DiskBytes = 0 }));
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
        using var host = Process.Start("true"); // the host can still start processes
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
            open('/tmp/promptintern-sandbox-escape.txt', 'w').write('only in my own /tmp')
            for path in [{Py(keep)}, {Py(created)}]:
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
        var r = Sandbox.Run("segv", "import faulthandler\nfaulthandler.disable()\nfaulthandler._sigsegv()\n");
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

    static string Py(string s) => SandboxHost.Py(s);

    static IEnumerable<string> HostCommandLines() => SandboxHost.Processes().Select(p => p.Cmd);

    static void AssertNoSandboxProcessesLeft() => SandboxHost.AssertNoSandboxProcessesLeft();
}
