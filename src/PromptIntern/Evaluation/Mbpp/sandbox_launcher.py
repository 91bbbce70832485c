# promptintern-sandbox launcher
# Trusted first stage of every sandboxed run (see PythonSandbox). argv[1] is a JSON config; stdin carries
# "<length>\n<payload>" and then stays open: its end means the kit is gone, so everything here is killed.
# In "namespaces" mode this runs as root of fresh user/mount/pid/net/ipc/uts namespaces and builds a root that
# holds only /usr (read-only), a few device nodes and a size-limited /tmp (no /proc: no /proc/self/mem to scan).
import ctypes, json, os, resource, select, shutil, signal, sys, time

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_NOATIME, MS_NODIRATIME, MS_BIND, MS_REC, MS_PRIVATE, MS_RELATIME = \
    1, 2, 4, 8, 32, 1024, 2048, 4096, 16384, 1 << 18, 1 << 21
MNT_DETACH = 2
PR_CAPBSET_DROP, PR_SET_SECUREBITS, PR_SET_NO_NEW_PRIVS = 24, 28, 38
SECBITS_LOCKED_NOROOT = 0x2F  # NOROOT, NO_SETUID_FIXUP and KEEP_CAPS_LOCKED, each locked
SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41}
READY = b"@@promptintern-sandbox-ready@@\n"

libc = ctypes.CDLL(None, use_errno=True)
cfg = json.loads(sys.argv[1])


def fail(message):
    os.write(2, f"sandbox-error: {message}\n".encode())
    os._exit(97)


def check(rc, what):
    if rc != 0:
        fail(f"{what}: {os.strerror(ctypes.get_errno())}")


def mount(source, target, fstype, flags, data=None):
    enc = lambda s: s.encode() if s is not None else None
    check(libc.mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)), f"mount {target}")


def bind(source, target, read_only=True):
    mount(source, target, None, MS_BIND)
    if read_only:  # a remount must keep the flags the source mount has locked (atime, noexec)
        f = os.statvfs(target).f_flag
        keep = [(os.ST_NOEXEC, MS_NOEXEC), (os.ST_NOATIME, MS_NOATIME), (os.ST_NODIRATIME, MS_NODIRATIME), (os.ST_RELATIME, MS_RELATIME)]
        extra = sum(ms for st, ms in keep if f & st)
        mount(None, target, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | extra)


def touch(path):
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o644))


def build_root():
    """Mounts the sandbox's file system and makes it the root; the host's tree is detached."""
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    root = "/tmp"  # any existing directory: the tmpfs covers it only inside this mount namespace
    mount("sandbox", root, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,nr_inodes=256,mode=0755")
    for d in ("usr", "dev", "proc", "tmp", "etc", ".old"):
        os.mkdir(f"{root}/{d}")
    bind("/usr", f"{root}/usr")
    for d in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):  # merged-/usr links, or directories on older layouts
        if os.path.islink(f"/{d}"):
            os.symlink(os.readlink(f"/{d}"), f"{root}/{d}")
        elif os.path.isdir(f"/{d}"):
            os.mkdir(f"{root}/{d}")
            bind(f"/{d}", f"{root}/{d}")
    if os.path.isfile("/etc/ld.so.cache"):  # the dynamic loader's index: the only file of /etc the runtime needs
        touch(f"{root}/etc/ld.so.cache")
        bind("/etc/ld.so.cache", f"{root}/etc/ld.so.cache")
    for dev in ("null", "zero", "full", "random", "urandom"):
        touch(f"{root}/dev/{dev}")
        bind(f"/dev/{dev}", f"{root}/dev/{dev}", read_only=False)
    mount("sandbox-tmp", f"{root}/tmp", "tmpfs", MS_NOSUID | MS_NODEV,
          f"size={cfg['disk_bytes']},nr_inodes={cfg['disk_files']},mode=0777")
    mount("proc", f"{root}/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    os.chdir(root)
    nr = SYS_PIVOT_ROOT.get(os.uname().machine)
    if nr is None:
        fail(f"pivot_root: unsupported machine {os.uname().machine}")
    check(libc.syscall(nr, b".", b".old"), "pivot_root")
    os.chroot(".")
    check(libc.umount2(b"/.old", MNT_DETACH), "umount old root")
    os.rmdir("/.old")
    # No further user namespaces from inside (the limit is per namespace and cannot be raised without privilege here).
    with open("/proc/sys/user/max_user_namespaces", "w") as f:
        f.write("0")
    last_cap = int(open("/proc/sys/kernel/cap_last_cap").read())
    check(libc.umount2(b"/proc", MNT_DETACH), "umount /proc")
    mount(None, "/", None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)
    return last_cap


def drop_privileges(last_cap):
    """Root of the namespace keeps no capability across exec, and can never regain one."""
    check(libc.prctl(PR_SET_SECUREBITS, SECBITS_LOCKED_NOROOT, 0, 0, 0), "securebits")
    for cap in range(last_cap + 1):
        check(libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0), "drop capabilities")


def read_payload():
    data = b""
    while b"\n" not in data:
        chunk = os.read(0, 65536)
        if not chunk:
            fail("no program on stdin")
        data += chunk
    head, data = data.split(b"\n", 1)
    n = int(head)
    while len(data) < n:
        chunk = os.read(0, n - len(data))
        if not chunk:
            fail("program cut short on stdin")
        data += chunk
    return data


def start_program(payload, last_cap):
    """Forks the harness: payload on its stdin (a memfd, so nothing is left to read later), rlimits set."""
    fd = os.memfd_create("payload", 0)
    os.write(fd, payload)
    os.lseek(fd, 0, os.SEEK_SET)
    pid = os.fork()
    if pid:
        os.close(fd)
        return pid
    try:
        os.setsid()
        os.dup2(fd, 0)
        os.close(fd)
        for name, value in cfg["rlimits"].items():
            # With equal CPU limits the kernel's SIGKILL (hard) wins over SIGXCPU (soft) and a busy loop reads as a crash;
            # a hard limit one second higher lets SIGXCPU, which the host reports as a timeout, arrive first.
            resource.setrlimit(getattr(resource, name), (value, value + 1 if name == "RLIMIT_CPU" else value))
        check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        if last_cap is not None:
            drop_privileges(last_cap)
        os.execve(cfg["python"], [cfg["python"], "-I", "-B", "-X", "pycache_prefix=/dev/null/none", "-c", cfg["harness"]],
                  {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": cfg["work"], "TMPDIR": cfg["work"]})
    except BaseException as e:  # the child must never return into the launcher's loop
        os.write(2, f"sandbox-error: cannot start the program: {e}\n".encode())
        os._exit(97)


def supervise(pid):
    """Waits for the program; kills it (and everything it started) when the kit goes away or the deadline passes."""
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    deadline = time.monotonic() + cfg["deadline_s"]
    while True:
        while True:  # reap everything: as pid 1 of the namespace orphans land here
            try:
                wpid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                wpid = 0
            if wpid == 0:
                break
            if wpid == pid:
                return os.waitstatus_to_exitcode(status)
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        ready, _, _ = select.select([0, wake_r], [], [], left)
        if 0 in ready and not os.read(0, 4096):
            return None
        if wake_r in ready:
            os.read(wake_r, 4096)


def main():
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the program may not interrupt its supervisor
    payload = read_payload()
    last_cap = build_root() if cfg["mode"] == "namespaces" else None
    os.chdir(cfg["work"])
    os.write(2, READY)
    pid = start_program(payload, last_cap)
    code = supervise(pid)
    try:
        os.killpg(pid, signal.SIGKILL)  # the program's group; as pid 1 of a namespace, our exit ends the rest
    except ProcessLookupError:
        pass
    if cfg["mode"] == "none":  # the host deletes it too; this covers a kit that was killed
        shutil.rmtree(cfg["work"], ignore_errors=True)
    if code is None:
        os._exit(128 + signal.SIGKILL)
    os._exit(128 - code if code < 0 else code)


main()
