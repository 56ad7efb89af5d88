#!/usr/bin/env python3
"""Boots hv.elf in QEMU (the command line of docs/boot-protocol.md), reads the console and checks
it against expectations: lines that must appear (in order), lines that must not, and QEMU's exit
status. Exits 0 when everything holds, 1 otherwise (printing the console and what was missing).

    run_qemu.py --hv hv.elf [--descriptor F.jcb] [--corrupt-offset N] [--image F.bin]
                [--load FILE@ADDRESS ...] [--contains REGEX ...]
                --expect-exit N --expect REGEX ... [--reject REGEX ...] [--timeout S]
                [--value NAME REGEX ...] [--bound EXPR ...]

--value takes the integer in group 1 of REGEX's first match on the console as NAME; --bound is a
Python expression over those names (and nothing else) that must be true, e.g. a measured time
against its limit: --value age 'unchanged for ([0-9]+) us' --bound 'age < 210000'.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

DESCRIPTOR_ADDRESS = 0x7F000000  # the descriptor slot, docs/boot-protocol.md
IMAGE_ADDRESS = 0x48000000  # the demos' entry region (examples/hv/*.yaml)
QEMU = [
    "qemu-system-aarch64", "-M", "virt,virtualization=on,gic-version=3", "-cpu", "cortex-a57",
    "-smp", "4", "-m", "1G", "-nographic", "-net", "none", "-monitor", "none",
    "-semihosting-config", "enable=on,target=native",
]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--hv", required=True)
    p.add_argument("--descriptor")
    p.add_argument("--corrupt-offset", type=lambda s: int(s, 0),
                   help="flip every bit of the descriptor byte at this offset before loading it")
    p.add_argument("--image")
    p.add_argument("--load", action="append", default=[],
                   help="FILE@ADDRESS: another file for QEMU's loader (cell blobs, images)")
    p.add_argument("--expect", action="append", default=[], help="regex, in order")
    p.add_argument("--contains", action="append", default=[],
                   help="regex that must match anywhere (lines of concurrent cells)")
    p.add_argument("--reject", action="append", default=[], help="regex that must not match")
    p.add_argument("--expect-exit", type=int, required=True)
    p.add_argument("--timeout", type=float, default=20)
    p.add_argument("--value", nargs=2, action="append", default=[], metavar=("NAME", "REGEX"),
                   help="integer from group 1 of REGEX's first match, named NAME for --bound")
    p.add_argument("--bound", action="append", default=[],
                   help="expression over --value names that must hold")
    args = p.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        cmd = QEMU + ["-kernel", args.hv]
        if args.descriptor:
            descriptor = args.descriptor
            if args.corrupt_offset is not None:
                data = bytearray(open(descriptor, "rb").read())
                data[args.corrupt_offset] ^= 0xFF
                descriptor = os.path.join(tmp, "corrupt.jcb")
                open(descriptor, "wb").write(data)
            cmd += ["-device", f"loader,file={descriptor},addr={DESCRIPTOR_ADDRESS:#x}"]
        if args.image:
            cmd += ["-device", f"loader,file={args.image},addr={IMAGE_ADDRESS:#x}"]
        for item in args.load:
            path, _, address = item.rpartition("@")
            cmd += ["-device", f"loader,file={path},addr={int(address, 0):#x}"]
        start = time.monotonic()
        try:
            run = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                                 timeout=args.timeout)
            console, status = run.stdout.decode(errors="replace"), run.returncode
            console += run.stderr.decode(errors="replace")
        except subprocess.TimeoutExpired as e:
            console = (e.stdout or b"").decode(errors="replace")
            status = None
        elapsed = time.monotonic() - start

    console = console.replace("\r\n", "\n")
    failures = []
    if status is None:
        failures.append(f"QEMU did not exit within {args.timeout} s")
    elif status != args.expect_exit:
        failures.append(f"exit status {status}, expected {args.expect_exit}")
    position = 0
    for pattern in args.expect:
        m = re.compile(pattern, re.MULTILINE).search(console, position)
        if not m:
            failures.append(f"missing (in order): {pattern}")
        else:
            position = m.end()
    for pattern in args.contains:
        if not re.search(pattern, console, re.MULTILINE):
            failures.append(f"missing: {pattern}")
    for pattern in args.reject:
        if re.search(pattern, console, re.MULTILINE):
            failures.append(f"unexpected: {pattern}")
    values = {}
    for name, pattern in args.value:
        m = re.search(pattern, console, re.MULTILINE)
        if m:
            values[name] = int(m.group(1), 0)
        else:
            failures.append(f"no value {name}: {pattern}")
    for expr in args.bound:
        if not all(n in values for n, _ in args.value):
            failures.append(f"bound not checked (values missing): {expr}")
            continue
        if not eval(expr, {"__builtins__": {}}, dict(values)):
            failures.append(f"bound violated: {expr} with {values}")

    print(console)
    print(f"--- {' '.join(cmd)}\n--- exit {status}, {elapsed:.2f} s")
    if values:
        print(f"--- values {values}")
    for f in failures:
        print(f"FAIL: {f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
