#!/usr/bin/env python3
"""Mark the GLIBCXX_3.4.32 version need of an ELF shared library weak (VER_FLG_WEAK).

TorchSharp 0.107's libLibTorchSharp.so is built with GCC 13 and references
std::ios_base_library_init()@GLIBCXX_3.4.32 only to pull in iostream set-up, which libstdc++ 12
(Debian 12) does by itself; the symbol has no relocation. Only the version check fails, so a weak
version need lets the loader accept the library. No-op when the system libstdc++ has the version
or the file is already patched. Usage: patch_glibcxx_weak.py LIB.so [LIB.so ...]
"""
import glob, struct, sys

NEEDED = b"GLIBCXX_3.4.32"
SHT_GNU_VERNEED, VER_FLG_WEAK = 0x6FFFFFFE, 0x2

def system_has_version():
    for lib in glob.glob("/usr/lib/*/libstdc++.so.6") + glob.glob("/lib/*/libstdc++.so.6") + glob.glob("/usr/lib64/libstdc++.so.6"):
        with open(lib, "rb") as f:
            if NEEDED + b"\0" in f.read():
                return True
    return False

def patch(path):
    data = bytearray(open(path, "rb").read())
    if data[:4] != b"\x7fELF" or data[4] != 2:
        sys.exit(f"{path}: not a 64-bit ELF file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    for sh in sections:
        if sh[1] != SHT_GNU_VERNEED:
            continue
        strtab = sections[sh[6]][4]
        need = sh[4]
        for _ in range(sh[7]):  # sh_info = number of verneed entries
            _, cnt, _, aux, nxt = struct.unpack_from("<HHIII", data, need)
            a = need + aux
            for _ in range(cnt):
                _, flags, _, name, anext = struct.unpack_from("<IHHII", data, a)
                end = data.index(b"\0", strtab + name)
                if bytes(data[strtab + name:end]) == NEEDED:
                    if flags & VER_FLG_WEAK:
                        return "already patched"
                    struct.pack_into("<H", data, a + 4, flags | VER_FLG_WEAK)
                    tmp = path + ".patching"
                    open(tmp, "wb").write(data)
                    import os, shutil
                    shutil.copymode(path, tmp)
                    os.replace(tmp, path)
                    return "patched"
                a += anext
            need += nxt
    return "no GLIBCXX_3.4.32 need"

if __name__ == "__main__":
    if system_has_version():
        sys.exit(0)
    for p in sys.argv[1:]:
        print(f"patch_glibcxx_weak: {p}: {patch(p)}")
