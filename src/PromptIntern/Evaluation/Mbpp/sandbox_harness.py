# promptintern-sandbox harness
# Runs one MBPP program and proves it ran to the end: stdin holds "<token>\n<program>"; the token is read and
# stdin closed before the program starts, and it is written to stdout only after the program's last line (its
# last assert) has run. Exits of any kind (os._exit, sys.exit, atexit, signals) end the process before that.
import os


def run():
    data = bytearray()
    while True:
        chunk = os.read(0, 1 << 20)
        if not chunk:
            break
        data += chunk
    os.close(0)
    os.open(os.devnull, os.O_RDONLY)  # fd 0 again: input() sees an empty stdin
    token, _, source = bytes(data).partition(b"\n")
    proof, write, out = b"\n" + token + b"\n", os.write, os.dup(1)  # taken before the program can replace them
    del data, token
    with open("prog.py", "wb") as f:  # for tracebacks that show source lines
        f.write(source)
    code = compile(source, "prog.py", "exec", dont_inherit=True, optimize=0)
    exec(code, {"__name__": "__main__", "__builtins__": __builtins__})
    write(out, proof)


run()
