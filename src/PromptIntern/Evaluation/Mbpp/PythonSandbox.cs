using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace PromptIntern.Evaluation.Mbpp;

/// <summary>Runs untrusted Python programs one process each, isolated (see <see cref="SandboxIsolation"/>) and limited
/// in wall time, CPU time, memory, processes, file size and output; the environment holds only PATH, LANG, HOME and TMPDIR
/// (both the fresh temp dir). Construct once: the constructor probes which isolation works here and refuses to run
/// unisolated unless <see cref="SandboxOptions.UnsafeNoIsolation"/> is set.</summary>
public sealed class PythonSandbox
{
    const string ReadyMarker = "@@promptintern-sandbox-ready@@";
    const int SandboxErrorExit = 97;

    // Runs as pid 1 of the new namespaces: binds the temp dir writable onto itself, remounts every other mount read-only,
    // then runs the program as a child (pid 1 stays to reap it; when it exits the kernel kills whatever is left).
    const string Launcher = """
        w="$1"; uid="$2"; shift 2
        mount --bind "$w" "$w" || { echo "sandbox-error: cannot bind-mount $w" >&2; exit 97; }
        for mp in $(awk '{print $5}' /proc/self/mountinfo); do
          mp=$(printf '%b' "$mp")
          [ "$mp" = "$w" ] && continue
          mount -o remount,bind,ro "$mp" 2>/dev/null || { echo "sandbox-error: cannot make $mp read-only" >&2; exit 97; }
        done
        if [ "$uid" = "-" ]; then set -- setpriv --inh-caps=-all --bounding-set=-all --no-new-privs "$@"
        else chown "$uid:$uid" "$w" || exit 97; set -- setpriv --reuid="$uid" --regid="$uid" --clear-groups --inh-caps=-all --bounding-set=-all --no-new-privs "$@"; fi
        cd "$w" || exit 97
        echo "@@promptintern-sandbox-ready@@" >&2
        "$@"
        exit $?
        """;

    readonly SandboxOptions _options;
    readonly ConcurrentBag<int> _slots = [];

    public SandboxIsolation Isolation { get; }
    public string PythonPath { get; }
    /// <summary>Why stronger isolation kinds were passed over (empty when the first choice worked).</summary>
    public string ProbeNotes { get; }

    public PythonSandbox(SandboxOptions? options = null)
    {
        _options = options ?? new SandboxOptions();
        for (int i = 0; i < Math.Max(1, _options.Parallelism); i++) _slots.Add(i);
        PythonPath = _options.PythonPath ?? FindPython();
        var notes = new StringBuilder();
        foreach (var kind in Candidates())
        {
            Isolation = kind;
            var probe = RunAsync("probe", "import sys\nprint('ok')").GetAwaiter().GetResult();
            if (probe.Passed && probe.Stdout.Trim() == "ok") { ProbeNotes = notes.ToString().Trim(); return; }
            notes.AppendLine($"{kind}: {probe.Reason}: {probe.Summary}");
        }
        if (!_options.UnsafeNoIsolation)
            throw new InvalidOperationException(
                "no sandbox for Python works on this machine (tried: " + notes.ToString().Trim().Replace('\n', ';') +
                "). Install util-linux unshare or bubblewrap, or accept the risk with --unsafe-no-isolation.");
        if (RunsAsRoot && OnPath("setpriv") == null)
            throw new InvalidOperationException("running as root without setpriv: fork bombs could not be limited; refusing to run unisolated");
        Isolation = SandboxIsolation.None;
        ProbeNotes = notes.ToString().Trim();
    }

    IEnumerable<SandboxIsolation> Candidates()
    {
        if (_options.Isolation is { } forced)
        {
            if (forced != SandboxIsolation.None) yield return forced;
            yield break;
        }
        if (OperatingSystem.IsLinux() && OnPath("unshare") != null && OnPath("setpriv") != null)
            yield return geteuid() == 0 ? SandboxIsolation.UnshareAsRoot : SandboxIsolation.UnshareUserNamespace;
        if (OperatingSystem.IsLinux() && OnPath("bwrap") != null && (!RunsAsRoot || OnPath("setpriv") != null)) yield return SandboxIsolation.Bubblewrap;
    }

    public SandboxResult Run(string id, string program) => RunAsync(id, program).GetAwaiter().GetResult();

    /// <summary>Runs every program, <see cref="SandboxOptions.Parallelism"/> at a time; results keep the input order.</summary>
    public IReadOnlyList<SandboxResult> RunAll(IReadOnlyList<(string Id, string Program)> programs, Action<int>? onDone = null)
    {
        var results = new SandboxResult[programs.Count];
        int done = 0;
        Parallel.ForEachAsync(Enumerable.Range(0, programs.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.Parallelism) },
            async (i, _) =>
            {
                results[i] = await RunAsync(programs[i].Id, programs[i].Program);
                onDone?.Invoke(Interlocked.Increment(ref done));
            }).GetAwaiter().GetResult();
        return results;
    }

    public async Task<SandboxResult> RunAsync(string id, string program)
    {
        if (!_slots.TryTake(out int slot)) slot = _options.Parallelism + Random.Shared.Next(1000);
        var work = Directory.CreateTempSubdirectory("promptintern-sbx-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(work, "prog.py"), program);
            return await Execute(id, work, slot);
        }
        catch (Exception e) when (e is IOException or System.ComponentModel.Win32Exception or UnauthorizedAccessException)
        {
            return new SandboxResult(id, false, SandboxReason.SandboxError, -1, "", e.Message, TimeSpan.Zero);
        }
        finally
        {
            _slots.Add(slot);
            try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    async Task<SandboxResult> Execute(string id, string work, int slot)
    {
        var psi = new ProcessStartInfo
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            UseShellExecute = false, WorkingDirectory = work,
        };
        psi.Environment.Clear();
        psi.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
        psi.Environment["LANG"] = "C.UTF-8";
        psi.Environment["HOME"] = work;
        psi.Environment["TMPDIR"] = work;
        BuildCommand(psi, work, slot);

        var sw = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new IOException("could not start the sandbox process");
        process.StandardInput.Close();
        var cap = new OutputCap(_options.OutputCapBytes, () => Kill(process));
        var stdout = cap.Pump(process.StandardOutput.BaseStream);
        var stderr = cap.Pump(process.StandardError.BaseStream);
        bool timedOut = false;
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(_options.TimeoutSeconds)))
        {
            try { await process.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException) { timedOut = true; Kill(process); await process.WaitForExitAsync(); }
        }
        sw.Stop();
        await Task.WhenAny(Task.WhenAll(stdout, stderr), Task.Delay(5000));
        string outText = stdout.IsCompletedSuccessfully ? Decode(stdout.Result) : "";
        string errText = stderr.IsCompletedSuccessfully ? Decode(stderr.Result) : "";
        int exit = process.ExitCode;

        bool sandboxed = Isolation is SandboxIsolation.UnshareAsRoot or SandboxIsolation.UnshareUserNamespace;
        if (Isolation == SandboxIsolation.Bubblewrap && errText.StartsWith("bwrap: ", StringComparison.Ordinal))
            return new SandboxResult(id, false, SandboxReason.SandboxError, exit, Excerpt(outText), Excerpt(errText), sw.Elapsed);
        if (sandboxed)
        {
            int at = errText.IndexOf(ReadyMarker, StringComparison.Ordinal);
            if (at < 0 && !timedOut && !cap.Exceeded) // a program cut off early may have crowded the marker out of the cap
                return new SandboxResult(id, false, SandboxReason.SandboxError, exit, Excerpt(outText), Excerpt(errText), sw.Elapsed);
            if (at >= 0) errText = errText[..at] + errText[(at + ReadyMarker.Length)..].TrimStart('\n');
        }
        string reason = timedOut ? SandboxReason.Timeout
            : cap.Exceeded ? SandboxReason.OutputLimit
            : exit == 0 ? SandboxReason.Passed
            : errText.Contains("MemoryError", StringComparison.Ordinal) ? SandboxReason.Memory
            : exit == 128 + 24 ? SandboxReason.Timeout // SIGXCPU: the CPU-time limit
            : exit > 128 ? SandboxReason.Crash
            : SandboxReason.Failed;
        if (reason == SandboxReason.Crash) errText += $"\nkilled by signal {exit - 128}";
        if (reason == SandboxReason.OutputLimit) errText += $"\noutput exceeded {_options.OutputCapBytes} bytes";
        if (reason == SandboxReason.Timeout) errText += $"\ntime limit of {_options.TimeoutSeconds} s reached";
        return new SandboxResult(id, reason == SandboxReason.Passed, reason, exit, Excerpt(outText), Excerpt(errText), sw.Elapsed);
    }

    void BuildCommand(ProcessStartInfo psi, string work, int slot)
    {
        int uid = _options.SandboxUidBase + slot;
        var cmd = new List<string>();
        // Root ignores RLIMIT_NPROC (the kernel never applies it to uid 0), so as root every kind runs the program as an
        // unprivileged uid of its own; UnshareAsRoot does that inside its launcher, the others start under setpriv.
        if (RunsAsRoot && Isolation is SandboxIsolation.Bubblewrap or SandboxIsolation.None)
        {
            if (chown(work, (uint)uid, (uint)uid) != 0) throw new IOException($"cannot hand {work} to uid {uid} (errno {Marshal.GetLastPInvokeError()})");
            cmd.AddRange(["setpriv", $"--reuid={uid}", $"--regid={uid}", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs"]);
        }
        switch (Isolation)
        {
            case SandboxIsolation.UnshareAsRoot:
            case SandboxIsolation.UnshareUserNamespace:
                cmd.Add("unshare");
                if (Isolation == SandboxIsolation.UnshareUserNamespace) cmd.AddRange(["--user", "--map-root-user"]);
                cmd.AddRange(["--mount", "--net", "--pid", "--ipc", "--uts", "--fork", "--kill-child", "--mount-proc", "--propagation", "private",
                    "sh", "-c", Launcher, "sh", work, Isolation == SandboxIsolation.UnshareAsRoot ? uid.ToString() : "-"]);
                break;
            case SandboxIsolation.Bubblewrap:
                cmd.AddRange(["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--bind", work, work, "--chdir", work,
                    "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--"]);
                break;
        }
        cmd.AddRange(["prlimit", $"--as={_options.MemoryBytes}", $"--cpu={(long)Math.Ceiling(_options.TimeoutSeconds)}",
            $"--nproc={ProcessLimit()}", $"--fsize={_options.MaxFileBytes}", "--core=0", "--nofile=256", "--", PythonPath, "-I", "-B", "prog.py"]);
        psi.FileName = cmd[0];
        foreach (var x in cmd.Skip(1)) psi.ArgumentList.Add(x);
    }

    static bool RunsAsRoot => geteuid() == 0;

    // With its own uid the limit counts only this program's processes; otherwise RLIMIT_NPROC counts every process of
    // the user, so the allowance goes on top of what the user already runs.
    int ProcessLimit() => RunsAsRoot ? _options.MaxProcesses : CountOwnProcesses() + _options.MaxProcesses;

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
