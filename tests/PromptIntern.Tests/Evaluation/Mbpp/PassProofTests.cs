using PromptIntern.Data;
using PromptIntern.Evaluation;
using PromptIntern.Evaluation.Mbpp;
using Xunit;

namespace PromptIntern.Tests.Evaluation.Mbpp;

/// <summary>Programs that try to pass without passing: each is followed by an assert its code fails, and none may score.</summary>
[Collection("sandbox")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PassProofTests
{
    const string Asserts = "\nassert add(2, 3) == 5\n"; // fails for every faker below

    static PythonSandbox Sandbox => SandboxHost.Sandbox;

    [Theory]
    [InlineData("os._exit(0) before the asserts", "import os\nos._exit(0)\ndef add(a, b): return 0", SandboxReason.Incomplete)]
    [InlineData("sys.exit(0) before the asserts", "import sys\ndef add(a, b): return 0\nsys.exit(0)", SandboxReason.Incomplete)]
    [InlineData("raise SystemExit", "def add(a, b): return 0\nraise SystemExit", SandboxReason.Incomplete)]
    [InlineData("SystemExit from the tested function", "def add(a, b):\n    raise SystemExit(0)", SandboxReason.Incomplete)]
    [InlineData("os._exit(0) from the tested function", "import os\ndef add(a, b):\n    os._exit(0)", SandboxReason.Incomplete)]
    [InlineData("SystemExit caught, then os._exit(0)",
        "import os, sys\ndef add(a, b):\n    try:\n        sys.exit(1)\n    except SystemExit:\n        os._exit(0)", SandboxReason.Incomplete)]
    [InlineData("atexit hook exits 0", "import atexit, os\natexit.register(lambda: os._exit(0))\ndef add(a, b): return 0", SandboxReason.Incomplete)]
    [InlineData("excepthook exits 0", "import os, sys\nsys.excepthook = lambda *a: os._exit(0)\ndef add(a, b): return 0", SandboxReason.Incomplete)]
    [InlineData("a thread exits 0 while the assert runs",
        "import os, threading, time\nthreading.Thread(target=lambda: (time.sleep(0.2), os._exit(0))).start()\ndef add(a, b):\n    time.sleep(2)\n    return 0",
        SandboxReason.Incomplete)]
    [InlineData("builtins AssertionError and print replaced",
        "import builtins\nbuiltins.AssertionError = type('Quiet', (Exception,), {})\nbuiltins.print = lambda *a, **k: None\ndef add(a, b): return 0",
        SandboxReason.Failed)]
    [InlineData("prints token-shaped lines, then exits 0",
        "import os, secrets\nfor _ in range(200):\n    os.write(1, ('\\n' + secrets.token_hex(16).upper() + '\\n').encode())\n    print(secrets.token_hex(16).upper())\nos._exit(0)",
        SandboxReason.Incomplete)]
    [InlineData("kills its parent and every process it can, then exits 0",
        "import os, signal\nfor pid in (os.getppid(), 1, -1):\n    try:\n        os.kill(pid, signal.SIGKILL)\n    except OSError:\n        pass\nos._exit(0)",
        SandboxReason.Incomplete)]
    public void FakedPass_DoesNotCount(string attack, string code, string reason)
    {
        var r = Sandbox.Run(attack, code + Asserts);
        Assert.False(r.Passed, attack);
        Assert.Equal(reason, r.Reason);
    }

    [Fact]
    public void TheToken_CannotBeFound_BeforeTheAssertsRun()
    {
        // Everything the program can read before its asserts: stdin, argv, environment, its folder, its fds, /proc.
        var code = """
            import os, re, sys
            seen = set()
            def scan(data):
                if isinstance(data, str):
                    data = data.encode(errors='replace')
                seen.update(re.findall(rb'[0-9A-F]{32}', data))
            def read(path):
                try:
                    with open(path, 'rb') as f:
                        scan(f.read(1 << 20))
                except OSError:
                    pass
            scan(sys.stdin.buffer.read())
            scan(' '.join(sys.argv) + ' '.join(sys.orig_argv))
            scan(repr(dict(os.environ)))
            for name in os.listdir('.'):
                read(name)
            for fd in range(64):
                try:
                    os.lseek(fd, 0, 0)
                except OSError:
                    pass
                try:
                    scan(os.read(fd, 1 << 16))
                except OSError:
                    pass
            for pid in [p for p in os.listdir('/proc') if p.isdigit()] + ['self']:
                for part in ('cmdline', 'environ', 'fd/0', 'fd/3', 'mem'):
                    read(f'/proc/{pid}/{part}')
            for token in seen:
                os.write(1, b'\n' + token + b'\n')
            os._exit(0)
            def add(a, b): return 0
            """;
        var r = Sandbox.Run("token-hunt", code + Asserts);
        Assert.False(r.Passed, r.Stdout);
        Assert.Equal(SandboxReason.Incomplete, r.Reason);
    }

    [Fact]
    public void TheToken_CannotBeFound_ByWalkingFramesOrSearchingObjects()
    {
        // Every route from the program to the harness's frame (which holds the token): frames, tracebacks, generators,
        // other threads' frames, tracing, signal handlers (they run on the main thread), gc searches, raw memory, crafted
        // bytecode and CPython's test modules.
        var code = """
            import os, re, sys, threading
            found = []
            def scan(frame):
                while frame is not None:
                    found.extend(re.findall(r"[0-9A-F]{32}", repr(frame.f_locals)))
                    frame = frame.f_back
            def attempt(name, fn):
                try:
                    fn()
                    print(name, 'ran')
                except Exception as e:
                    print(name, 'refused', type(e).__name__)
            def via_traceback():
                try:
                    1 / 0
                except ZeroDivisionError as e:
                    scan(e.__traceback__.tb_frame)
            def gen():
                yield 1
            attempt('getframe', lambda: scan(sys._getframe()))
            attempt('traceback', via_traceback)
            attempt('generator', lambda: scan(gen().gi_frame))
            attempt('current_frames', lambda: [scan(f) for f in sys._current_frames().values()])
            attempt('settrace', lambda: sys.settrace(lambda frame, *a: scan(frame)))
            attempt('setprofile', lambda: sys.setprofile(lambda frame, *a: scan(frame)))
            attempt('signal', lambda: __import__('signal').signal(2, lambda s, frame: scan(frame)))
            attempt('gc', lambda: found.extend(re.findall(r"[0-9A-F]{32}", repr(__import__('gc').get_objects()))))
            attempt('ctypes', lambda: __import__('ctypes'))
            attempt('proc-mem', lambda: open('/proc/self/mem', 'rb'))
            attempt('crafted code', lambda: (lambda: 0).__code__.replace(co_consts=(1,)))
            attempt('marshal', lambda: __import__('marshal').loads(__import__('marshal').dumps((lambda: 0).__code__)))
            attempt('_testcapi', lambda: __import__('_testcapi'))
            for token in found:
                os.write(1, ('\n' + token + '\n').encode())
            sys.stdout.flush()
            os._exit(0)
            def add(a, b): return 0
            """;
        var r = Sandbox.Run("frame-walk", code + Asserts);
        Assert.False(r.Passed, r.Stdout);
        Assert.Equal(SandboxReason.Incomplete, r.Reason);
        Assert.DoesNotContain(" ran", r.Stdout);
        Assert.Equal(13, r.Stdout.Split('\n').Count(l => l.Contains(" refused ", StringComparison.Ordinal)));
    }

    [Fact]
    public void HonestPrograms_UsingNamedtupleEnumTypingThreadsAndRecursion_Pass()
    {
        var code = """
            import collections, dataclasses, enum, sys, threading, typing
            Point = collections.namedtuple('Point', 'x y')
            Color = enum.Enum('Color', 'RED GREEN')
            T = typing.TypeVar('T')
            @dataclasses.dataclass
            class Box:
                v: int
            sys.setrecursionlimit(5000)
            def depth(n): return 0 if n == 0 else 1 + depth(n - 1)
            results = []
            t = threading.Thread(target=lambda: results.append(depth(3000)))
            t.start(); t.join()
            def add(a, b): return Point(a, b).x + Box(b).v + len(Color) - 2 + results[0] - 3000
            """;
        var r = Sandbox.Run("honest-stdlib", code + Asserts);
        Assert.True(r.Passed, r.Stderr);
    }

    [Fact]
    public void HonestProgram_Passes_EvenIfItReplacesPrintAndOsWrite_AndTheTokenIsNotShown()
    {
        var r = Sandbox.Run("honest", "import builtins, os\nprint('hello')\nbuiltins.print = None\nos.write = None\ndef add(a, b): return a + b" + Asserts);
        Assert.True(r.Passed, r.Stderr);
        Assert.Equal("hello", r.Stdout.Trim());
    }

    [Fact]
    public void MbppMetric_ScoresFakers_AsZero()
    {
        var problem = JsonlDataset.Parse("inline", 1,
            """{"id": "mbpp-x", "query": "add", "answer": "def add(a, b):\n    return a + b", "tests": ["assert add(1, 2) == 3", "assert add(2, 2) == 4"]}""");
        var preds = new[] { "def add(a, b):\n    return a + b", "import os\ndef add(a, b):\n    os._exit(0)", "import sys\nsys.exit(0)" };
        var report = new MbppMetric(SandboxHost.Options).Score([problem, problem, problem], preds);
        Assert.Equal(100.0 / 3, report.Metrics["pass@1"], 9);
        Assert.Equal(["passed", "incomplete", "incomplete"], report.Examples.Select(e => e.Fields["reason"]));
    }
}
