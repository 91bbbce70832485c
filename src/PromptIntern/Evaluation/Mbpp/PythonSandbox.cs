using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PromptIntern.Evaluation.Mbpp;

/// <summary>Runs untrusted Python programs one process each, isolated (see <see cref="SandboxIsolation"/>) and limited in
/// wall time, CPU time, memory, processes, disk and output. A program passes only if it prints a random per-run token
/// that it never sees before its last line has run (sandbox_harness.py); its exit status alone never counts. Each run is
/// supervised by sandbox_launcher.py, which kills it when the kit goes away. Construct once: the constructor probes
/// whether isolation works here and refuses to run unisolated unless <see cref="SandboxOptions.UnsafeNoIsolation"/> is set.</summary>
public sealed partial class PythonSandbox
{
    const string ReadyMarker = "@@promptintern-sandbox-ready@@";
    const string TempPrefix = "promptintern-sbx-";
    static readonly string Launcher = Resource("sandbox_launcher.py"), Harness = Resource("sandbox_harness.py");

    readonly SandboxOptions _options;
    readonly ConcurrentBag<int> _slots = [];

    public SandboxIsolation Isolation { get; }
    public string PythonPath { get; }
    /// <summary>Why isolation was passed over (empty when it worked).</summary>
    public string ProbeNotes { get; }

    public PythonSandbox(SandboxOptions? options = null)
    {
        _options = options ?? new SandboxOptions();
        _options.Validate();
        if (!OperatingSystem.IsLinux()) throw new InvalidOperationException("the MBPP sandbox runs on Linux only");
        for (int i = 0; i < Math.Max(1, _options.Parallelism); i++) _slots.Add(i);
        PythonPath = _options.PythonPath ?? FindPython();
        RemoveStaleTempFolders();
        var notes = new StringBuilder();
        if (_options.Isolation != SandboxIsolation.None)
        {
            Isolation = SandboxIsolation.Namespaces;
            // The probe tests the isolation, not the limits: a tight --timeout or --memory-mb must not look like a missing sandbox.
            var roomy = _options with { TimeoutSeconds = Math.Max(_options.TimeoutSeconds, 10), MemoryBytes = Math.Max(_options.MemoryBytes, 256L << 20) };
            var probe = RunAsync("probe", OnePart("import sys\nprint('ok')"), roomy).GetAwaiter().GetResult();
            if (probe.Passed && probe.Stdout.Trim() == "ok") { ProbeNotes = ""; return; }
            notes.Append($"{probe.Reason}: {probe.Summary}");
        }
        if (!_options.UnsafeNoIsolation)
            throw new InvalidOperationException(
                $"no sandbox for Python works on this machine ({(notes.Length > 0 ? notes : "isolation turned off")}); it needs util-linux " +
                "unshare and unprivileged user namespaces (a container must allow them). Accept the risk with --unsafe-no-isolation.");
        if (RunsAsRoot && OnPath("setpriv") == null)
            throw new InvalidOperationException("running as root without setpriv: fork bombs could not be limited; refusing to run unisolated");
        Isolation = SandboxIsolation.None;
        ProbeNotes = notes.ToString();
    }

    public SandboxResult Run(string id, string program) => RunAsync(id, program).GetAwaiter().GetResult();

    /// <summary>Runs every program, <see cref="SandboxOptions.Parallelism"/> at a time; results keep the input order.</summary>
    public IReadOnlyList<SandboxResult> RunAll(IReadOnlyList<(string Id, string Program)> programs, Action<int>? onDone = null) =>
        RunAll(programs.Select(p => (p.Id, OnePart(p.Program))).ToList(), onDone);

    /// <summary>Runs every program given as parts (file name, source), each compiled on its own and run in order in one
    /// namespace; results keep the input order.</summary>
    public IReadOnlyList<SandboxResult> RunAll(IReadOnlyList<(string Id, IReadOnlyList<(string Name, string Source)> Parts)> programs,
        Action<int>? onDone = null)
    {
        var results = new SandboxResult[programs.Count];
        int done = 0;
        Parallel.ForEachAsync(Enumerable.Range(0, programs.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.Parallelism) },
            async (i, _) =>
            {
                results[i] = await RunAsync(programs[i].Id, programs[i].Parts, _options);
                onDone?.Invoke(Interlocked.Increment(ref done));
            }).GetAwaiter().GetResult();
        return results;
    }

    public Task<SandboxResult> RunAsync(string id, string program) => RunAsync(id, OnePart(program), _options);

    static IReadOnlyList<(string Name, string Source)> OnePart(string program) => [("prog.py", program)];

    async Task<SandboxResult> RunAsync(string id, IReadOnlyList<(string Name, string Source)> parts, SandboxOptions limits)
    {
        if (!_slots.TryTake(out int slot)) slot = _options.Parallelism + Random.Shared.Next(1000);
        // Unisolated runs work in a host temp folder named after this process, so a later start can remove it if we die.
        string? work = Isolation == SandboxIsolation.None
            ? Directory.CreateTempSubdirectory($"{TempPrefix}{Environment.ProcessId}-").FullName : null;
        try
        {
            return await Execute(id, parts, work, slot, limits);
        }
        catch (Exception e) when (e is IOException or System.ComponentModel.Win32Exception or UnauthorizedAccessException)
        {
            return new SandboxResult(id, false, SandboxReason.SandboxError, -1, "", e.Message, TimeSpan.Zero);
        }
        finally
        {
            _slots.Add(slot);
            if (work != null) try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    async Task<SandboxResult> Execute(string id, IReadOnlyList<(string Name, string Source)> parts, string? work, int slot, SandboxOptions limits)
    {
        string token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var psi = new ProcessStartInfo
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            UseShellExecute = false, WorkingDirectory = work ?? "/",
        };
        psi.Environment.Clear();
        psi.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
        psi.Environment["LANG"] = "C.UTF-8";
        BuildCommand(psi, work, slot, limits);

        var sw = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new IOException("could not start the sandbox process");
        var cap = new OutputCap(limits.OutputCapBytes, () => Kill(process));
        var stdout = cap.Pump(process.StandardOutput.BaseStream);
        var stderr = cap.Pump(process.StandardError.BaseStream);
        // stdin: the payload, then left open until the run ends; the launcher treats its end as the kit's death.
        var payload = JsonSerializer.SerializeToUtf8Bytes(new { token, parts = parts.Select(p => new[] { p.Name, p.Source }) });
        try
        {
            var stdin = process.StandardInput.BaseStream;
            await stdin.WriteAsync(Encoding.ASCII.GetBytes($"{payload.Length}\n"));
            await stdin.WriteAsync(payload);
            await stdin.FlushAsync();
        }
        catch (IOException) { } // the launcher died first; its stderr says why
        bool timedOut = false;
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(limits.TimeoutSeconds)))
        {
            try { await process.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException) { timedOut = true; Kill(process); await process.WaitForExitAsync(); }
        }
        sw.Stop();
        try { process.StandardInput.Close(); } catch (IOException) { }
        await Task.WhenAny(Task.WhenAll(stdout, stderr), Task.Delay(5000));
        string outText = stdout.IsCompletedSuccessfully ? Decode(stdout.Result) : "";
        string errText = stderr.IsCompletedSuccessfully ? Decode(stderr.Result) : "";
        int exit = process.ExitCode;

        int at = errText.IndexOf(ReadyMarker, StringComparison.Ordinal);
        if (at < 0 && !timedOut && !cap.Exceeded) // a program cut off early may have crowded the marker out of the cap
            return new SandboxResult(id, false, SandboxReason.SandboxError, exit, Excerpt(outText), Excerpt(errText), sw.Elapsed);
        if (at >= 0) errText = errText[..at] + errText[(at + ReadyMarker.Length)..].TrimStart('\n');
        string proof = "\n" + token + "\n";
        bool completed = outText.Contains(proof, StringComparison.Ordinal);
        outText = outText.Replace(proof, "", StringComparison.Ordinal);

        string reason = timedOut ? SandboxReason.Timeout
            : cap.Exceeded ? SandboxReason.OutputLimit
            : exit == 0 ? (completed ? SandboxReason.Passed : SandboxReason.Incomplete)
            : errText.Contains("MemoryError", StringComparison.Ordinal) ? SandboxReason.Memory
            : exit == 128 + 24 ? SandboxReason.Timeout // SIGXCPU: the CPU-time limit
            : exit > 128 ? SandboxReason.Crash
            : SandboxReason.Failed;
        if (reason == SandboxReason.Crash) errText += $"\nkilled by signal {exit - 128}";
        if (reason == SandboxReason.Incomplete) errText += "\nexited with status 0 before its last line ran (no completion token)";
        if (reason == SandboxReason.OutputLimit) errText += $"\noutput exceeded {limits.OutputCapBytes} bytes";
        if (reason == SandboxReason.Timeout) errText += $"\ntime limit of {limits.TimeoutSeconds} s reached";
        return new SandboxResult(id, reason == SandboxReason.Passed, reason, exit, Excerpt(outText), Excerpt(errText), sw.Elapsed);
    }

    void BuildCommand(ProcessStartInfo psi, string? work, int slot, SandboxOptions limits)
    {
        int uid = limits.SandboxUidBase + slot;
        var cmd = new List<string>();
        // Root ignores RLIMIT_NPROC (the kernel never applies it to uid 0) and may do anything outside the sandbox's
        // namespaces, so as root every run starts as an unprivileged uid of its own.
        if (RunsAsRoot)
        {
            if (work != null && chown(work, (uint)uid, (uint)uid) != 0)
                throw new IOException($"cannot hand {work} to uid {uid} (errno {Marshal.GetLastPInvokeError()})");
            cmd.AddRange(["setpriv", $"--reuid={uid}", $"--regid={uid}", "--clear-groups"]);
        }
        if (Isolation == SandboxIsolation.Namespaces)
            cmd.AddRange(["unshare", "--user", "--map-root-user", "--mount", "--net", "--pid", "--ipc", "--uts", "--fork", "--kill-child"]);
        var config = new Dictionary<string, object>
        {
            ["mode"] = Isolation == SandboxIsolation.Namespaces ? "namespaces" : "none",
            ["work"] = work ?? "/tmp",
            ["python"] = PythonPath,
            ["harness"] = Harness,
            ["deadline_s"] = limits.TimeoutSeconds + 5, // the launcher's own backstop, after the host's timer
            ["disk_bytes"] = limits.DiskBytes,
            ["disk_files"] = limits.DiskFiles,
            ["rlimits"] = new Dictionary<string, long>
            {
                ["RLIMIT_AS"] = limits.MemoryBytes, ["RLIMIT_CPU"] = (long)Math.Ceiling(limits.TimeoutSeconds),
                ["RLIMIT_NPROC"] = ProcessLimit(limits.MaxProcesses), ["RLIMIT_FSIZE"] = limits.MaxFileBytes, ["RLIMIT_CORE"] = 0, ["RLIMIT_NOFILE"] = 256,
            },
        };
        cmd.AddRange([PythonPath, "-I", "-S", "-B", "-c", Launcher, JsonSerializer.Serialize(config)]);
        psi.FileName = cmd[0];
        foreach (var x in cmd.Skip(1)) psi.ArgumentList.Add(x);
    }

    static bool RunsAsRoot => geteuid() == 0;

    // Under a uid of its own (or in its own user namespace) the limit counts only this run's processes, the launcher
    // included; unisolated under the user's uid, RLIMIT_NPROC counts every process of the user, so it goes on top.
    int ProcessLimit(int programs) => RunsAsRoot || Isolation == SandboxIsolation.Namespaces
        ? programs + 1 : CountOwnProcesses() + programs + 1;

    /// <summary>Removes the temp folders of unisolated runs whose kit process is gone (killed before it could clean up).</summary>
    static void RemoveStaleTempFolders()
    {
        foreach (var dir in Directory.EnumerateDirectories(Path.GetTempPath(), TempPrefix + "*"))
        {
            var m = OwnerPid().Match(Path.GetFileName(dir));
            if (!m.Success || Directory.Exists($"/proc/{m.Groups[1].Value}")) continue;
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    [GeneratedRegex(@"^promptintern-sbx-(\d+)-")]
    private static partial Regex OwnerPid();

    static int CountOwnProcesses()
    {
        uint me = geteuid();
        int n = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _)) continue;
            try
            {
                var uidLine = File.ReadLines(Path.Combine(dir, "status")).FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
                if (uidLine != null && uidLine.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == me.ToString()) n++;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return n;
    }

    static void Kill(Process p)
    {
        try { if (!p.HasExited) p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } catch (System.ComponentModel.Win32Exception) { }
    }

    static string FindPython()
    {
        foreach (var p in new[] { "/usr/bin/python3", "/usr/local/bin/python3" })
            if (File.Exists(p)) return p;
        return OnPath("python3") ?? throw new InvalidOperationException("python3 not found; set SandboxOptions.PythonPath");
    }

    internal static string? OnPath(string exe) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, exe)).FirstOrDefault(File.Exists);

    static string Resource(string name)
    {
        using var s = typeof(PythonSandbox).Assembly.GetManifestResourceStream($"PromptIntern.Evaluation.Mbpp.{name}")
            ?? throw new InvalidOperationException($"embedded resource {name} is missing");
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }

    static string Decode(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    static string Excerpt(string s, int max = 2000) => s.Length <= max ? s : s[..(max / 2)] + "\n…\n" + s[^(max / 2)..];

    [DllImport("libc", SetLastError = false)]
    static extern uint geteuid();

    [DllImport("libc", SetLastError = true)]
    static extern int chown(string path, uint owner, uint group);

    /// <summary>Counts stdout + stderr bytes together and kills the program once they pass the cap.</summary>
    sealed class OutputCap(int cap, Action kill)
    {
        int _total;
        public bool Exceeded { get; private set; }

        public async Task<byte[]> Pump(Stream stream)
        {
            var kept = new MemoryStream();
            var buffer = new byte[8192];
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0)
            {
                int room;
                lock (this) { room = Math.Max(0, cap - _total); _total += n; if (_total > cap) Exceeded = true; }
                if (room > 0) kept.Write(buffer, 0, Math.Min(room, n));
                if (Exceeded) kill();
            }
            return kept.ToArray();
        }
    }
}
