#!/usr/bin/env python3
"""Cross-checks the hypervisor's measurement log against the files QEMU loaded, independently of
the hypervisor's SHA-256: runs run_qemu.py (arguments after `--`), takes the log the `attest` root
cell printed, one line per entry,

    [root] m <seq> <kind> <cell> <address> <size> <sha256>

and recomputes every digest with hashlib from the file named for that (kind, address):

    check_measurements.py --file KIND:ADDRESS:PATH ... [--patch WHERE:HEX --elf hv.elf]
                          -- run_qemu.py ARGS

The bytes hashed are the file's first <size> bytes, with zeros after its end when <size> is
larger (cell_load copies whole pages of staging memory, which QEMU zero-fills): so hv.bin for the
image (kind 1) and for text+rodata (kind 2, a prefix), the .jcb files for descriptors (3, 4), the
inmate .bin for a loaded image (5). For an integrity change (6) the file is hv.bin with the
--patch bytes written at WHERE (an address or a symbol of --elf, as run_qemu.py's --poke), so the
digest the hypervisor found after the change is recomputed too. Every entry must be named by a
--file and every --file must match an entry; the sequence numbers must run 0, 1, 2, ... (the log
may be printed more than once). Exits 0 when all hold (and run_qemu.py passed), 1 otherwise.
"""
import argparse
import hashlib
import re
import subprocess
import sys

from run_qemu import poke_address

ENTRY = re.compile(r"^\[root\] m (\d+) (\d+) (\d+) (0x[0-9a-f]+) (\d+) ([0-9a-f]{64})$", re.M)
KINDS = {1: "hypervisor image", 2: "hypervisor text+rodata", 3: "system descriptor",
         4: "cell descriptor", 5: "cell image", 6: "integrity change"}


def expected_digest(path, size, patch=None):
    data = bytearray(open(path, "rb").read())
    if patch:
        offset, new = patch
        data[offset:offset + len(new)] = new
    data = bytes(data[:size]) + bytes(max(0, size - len(data)))
    return hashlib.sha256(data).hexdigest()


def main():
    argv = sys.argv[1:]
    if "--" not in argv:
        sys.exit("usage: check_measurements.py --file KIND:ADDRESS:PATH ... -- run_qemu.py ARGS")
    split = argv.index("--")
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--file", action="append", default=[], required=True)
    p.add_argument("--patch", help="WHERE:HEX, the bytes changed for kind 6 entries")
    p.add_argument("--elf", help="the hypervisor ELF, for --patch symbols")
    args = p.parse_args(argv[:split])
    run = subprocess.run([sys.executable] + argv[split + 1:], capture_output=True, text=True)
    print(run.stdout + run.stderr)
    failures = [] if run.returncode == 0 else [f"run_qemu.py failed ({run.returncode})"]

    files = {}
    for item in args.file:
        kind, address, path = item.split(":", 2)
        files[(int(kind), int(address, 0))] = path
    entries = [(int(s), int(k), int(c), int(a, 16), int(n), d)
               for s, k, c, a, n, d in ENTRY.findall(run.stdout)]
    if not entries:
        failures.append("no measurement log entries on the console")
    by_seq = {}
    for e in entries:
        if e[0] in by_seq and by_seq[e[0]] != e:
            failures.append(f"entry {e[0]} printed twice with different contents")
        by_seq[e[0]] = e
    listing = [by_seq[seq] for seq in sorted(by_seq)]
    for index, (seq, kind, cell, address, size, digest) in enumerate(listing):
        if seq != index:
            failures.append(f"entry {seq}: sequence numbers not 0, 1, 2, ...")
        path = files.get((kind, address))
        name = KINDS.get(kind, f"kind {kind}")
        if path is None:
            failures.append(f"entry {seq}: {name} at {address:#x} not expected")
            continue
        patch = None
        if kind == 6 and args.patch:
            where, _, hexbytes = args.patch.rpartition(":")
            patch = (poke_address(where, args.elf) - address, bytes.fromhex(hexbytes))
        want = expected_digest(path, size, patch)
        verdict = "ok" if want == digest else "MISMATCH"
        print(f"check: entry {seq} {name} cell {cell} {address:#x} {size} bytes: hv {digest}, "
              f"hashlib({path}) {want}: {verdict}")
        if want != digest:
            failures.append(f"entry {seq}: {name} digest differs from hashlib over {path}")
    for (kind, address), path in files.items():
        if not any(e[1] == kind and e[3] == address for e in listing):
            failures.append(f"no entry of kind {kind} at {address:#x} ({path})")
    for f in failures:
        print(f"FAIL: {f}")
    if not failures:
        print(f"check: {len(listing)} measurements match the files")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
