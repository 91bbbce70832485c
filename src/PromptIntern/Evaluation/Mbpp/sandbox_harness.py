# promptintern-sandbox harness
# Runs one MBPP program and proves it ran to the end: stdin holds {"token", "parts": [[file name, source], ...]}; it is
# read and stdin closed before the program starts, and the token is written to stdout only after the last part (the
# asserts) has returned. Exits of any kind (os._exit, sys.exit, atexit, signals) end the process before that. Each part
# is compiled on its own, so the code cannot change how the asserts are read (an open string, a coding cookie).
# The token and the outcome live where the program cannot reach them: the program runs on a thread of its own (no
# Thread object, so no frame chain or signal handler leads to the main thread), and an audit hook, which cannot be
# removed, refuses every other way to a frame, to other objects by search, or to raw memory.
import _thread, json, os, sys

FRAME_ATTRIBUTES = {"tb_frame", "gi_frame", "cr_frame", "ag_frame"}
# marshal too: crafted bytecode reads memory. The launcher starts Python with a pycache prefix that cannot exist, so
# imports compile from source and never need marshal.
BLOCKED = ("sys._current_frames", "sys._current_exceptions", "sys.settrace", "sys.setprofile", "gc.get_objects",
           "gc.get_referrers", "gc.get_referents", "ctypes.", "code.__new__", "marshal.load")
BLOCKED_MODULES = ("ctypes", "_ctypes", "_test", "_xx")  # raw memory, or CPython's test hooks into its internals


def guard(event, args):
    if event == "sys._getframe":
        raise ValueError("frames are not available in the MBPP sandbox")  # namedtuple, enum and typing expect ValueError
    if event == "object.__getattr__" and args[1] in FRAME_ATTRIBUTES:
        raise AttributeError(f"{args[1]} is not available in the MBPP sandbox")
    if event.startswith(BLOCKED) or (event == "import" and str(args[0]).startswith(BLOCKED_MODULES)):
        raise RuntimeError(f"{args[0] if event == 'import' else event} is not available in the MBPP sandbox")


def run():
    data = bytearray()
    while True:
        chunk = os.read(0, 1 << 20)
        if not chunk:
            break
        data += chunk
    os.close(0)
    os.open(os.devnull, os.O_RDONLY)  # fd 0 again: input() sees an empty stdin
    payload = json.loads(data)
    proof, write, out = b"\n" + payload["token"].encode() + b"\n", os.write, os.dup(1)  # before the program can replace them
    codes = []
    for name, source in payload["parts"]:
        with open(name, "w", encoding="utf-8") as f:  # for tracebacks that show source lines
            f.write(source)
        codes.append(compile(source.encode(), name, "exec", dont_inherit=True, optimize=0))
    del data, payload
    outcome, finished = [], _thread.allocate_lock()
    finished.acquire()
    sys.addaudithook(guard)
    _thread.start_new_thread(execute, (codes, outcome, finished))
    finished.acquire()
    if outcome and outcome[0] is None:
        write(out, proof)
    elif outcome:
        raise outcome[0]  # the program's exception (or SystemExit), reported as if it ran on the main thread
    else:
        os._exit(1)


def execute(codes, outcome, finished):
    try:
        scope = {"__name__": "__main__", "__builtins__": __builtins__}
        for code in codes:
            exec(code, scope)
        outcome.append(None)
    except BaseException as e:
        outcome.append(e)
    finally:
        finished.release()


run()
