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

--poke-after REGEX --poke WHERE:HEXBYTES writes bytes into guest physical memory once REGEX
appears on the console, the way a debugger (or a DMA attack) would, from outside every cell:
through QEMU's gdbstub on a unix socket, in its physical-memory mode (`Qqemu.PhyMemMode:1`),
which writes RAM directly, whatever the stage-2 tables say. WHERE is an address or a symbol of
the --hv ELF, optionally +offset. The VM is paused while the debugger is attached.
"""
import argparse
import os
import re
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

DESCRIPTOR_ADDRESS = 0x7F000000  # the descriptor slot, docs/boot-protocol.md
IMAGE_ADDRESS = 0x48000000  # the demos' entry region (examples/hv/*.yaml)
QEMU = [
    "qemu-system-aarch64", "-M", "virt,virtualization=on,gic-version=3", "-cpu", "cortex-a57",
    "-smp", "4", "-m", "1G", "-nographic", "-net", "none", "-monitor", "none",
    "-semihosting-config", "enable=on,target=native",
]


def elf_symbol(path, name):
    """The value of symbol `name` in an ELF64 little-endian file's .symtab."""
    data = open(path, "rb").read()
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
                for i in range(shnum)]
    for _, kind, _, _, offset, size, link, _, _, entsize in sections:
        if kind != 2:  # SHT_SYMTAB
            continue
        strtab = sections[link]
        for at in range(offset, offset + size, entsize):
            st_name, _, _, _, st_value, _ = struct.unpack_from("<IBBHQQ", data, at)
            start = strtab[4] + st_name
            if data[start:data.index(b"\0", start)].decode() == name:
                return st_value
    raise SystemExit(f"run_qemu.py: no symbol {name} in {path}")


def poke_address(where, elf):
    base, _, offset = where.partition("+")
    try:
        address = int(base, 0)
    except ValueError:
        address = elf_symbol(elf, base)
    return address + (int(offset, 0) if offset else 0)


class GdbRemote:
    """Just enough of the GDB remote serial protocol for physical memory writes."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(10)
        self.sock.connect(path)
        self.buffer = b""
        # QEMU stops the VM on attach and says so unprompted (a stop reply): drop it before the
        # first command, so that command's reply is the next packet.
        self.sock.settimeout(0.3)
        try:
            while True:
                chunk = self.sock.recv(4096)
                if not chunk:
                    break
                if b"#" in chunk:
                    self.sock.sendall(b"+")
        except socket.timeout:
            pass
        self.sock.settimeout(10)

    def command(self, payload):
        checksum = sum(payload.encode()) % 256
        self.sock.sendall(f"${payload}#{checksum:02x}".encode())
        while True:  # skip acks and notifications up to the reply packet
            m = re.search(rb"\$([^#]*)#[0-9a-fA-F]{2}", self.buffer)
            if m:
                self.buffer = self.buffer[m.end():]
                self.sock.sendall(b"+")
                return m.group(1).decode()
            chunk = self.sock.recv(4096)
            if not chunk:
                raise SystemExit("run_qemu.py: gdbstub closed the connection")
            self.buffer += chunk

    def write_physical(self, address, data):
        if self.command("Qqemu.PhyMemMode:1") != "OK":
            raise SystemExit("run_qemu.py: QEMU's gdbstub refused physical-memory mode")
        reply = self.command(f"M{address:x},{len(data):x}:{data.hex()}")
        if reply != "OK":
            raise SystemExit(f"run_qemu.py: gdbstub memory write at {address:#x}: {reply}")

    def detach(self):
        self.command("D")  # resumes the VM
        self.sock.close()


def run_with_poke(cmd, args, tmp):
    """Runs QEMU, writes the --poke bytes once --poke-after appeared; returns (console, status)."""
    sock = os.path.join(tmp, "gdb.sock")
    cmd += ["-chardev", f"socket,id=gdb0,path={sock},server=on,wait=off", "-gdb", "chardev:gdb0"]
    qemu = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    out = []
    reader = threading.Thread(target=lambda: out.extend(iter(lambda: qemu.stdout.read1(4096),
                                                             b"")))
    reader.start()
    deadline = time.monotonic() + args.timeout
    trigger = re.compile(args.poke_after, re.MULTILINE)
    while not trigger.search(b"".join(out).decode(errors="replace")):
        if qemu.poll() is not None or time.monotonic() > deadline:
            break
        time.sleep(0.01)
    else:
        where, _, hexbytes = args.poke.rpartition(":")
        try:
            address = poke_address(where, args.hv)
            gdb = GdbRemote(sock)
            gdb.write_physical(address, bytes.fromhex(hexbytes))
            gdb.detach()
            out.append(f"--- poke: wrote {hexbytes} at {address:#x} through the gdbstub\n".encode())
        except (OSError, SystemExit) as e:
            out.append(f"--- poke failed: {e}\n".encode())
    try:
        status = qemu.wait(timeout=max(0.1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        qemu.kill()
        qemu.wait()
        status = None
    reader.join()
    return b"".join(out).decode(errors="replace"), status


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
    p.add_argument("--poke-after", help="regex: when it appears, write the --poke bytes")
    p.add_argument("--poke", help="ADDRESS|SYMBOL[+OFFSET]:HEXBYTES, guest physical memory")
    p.add_argument("--bare-metal", action="store_true",
                   help="no EL2 (virtualization=off): --hv is then an inmate ELF started at EL1")
    args = p.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        cmd = QEMU + ["-kernel", args.hv]
        if args.bare_metal:
            cmd = [a.replace("virtualization=on,", "") for a in cmd]
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
            if args.poke:
                console, status = run_with_poke(cmd, args, tmp)
            else:
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
