#!/usr/bin/env python3
"""Hypervisor benchmark: the `bench` inmate (hv/inmates/bench) run under the hypervisor and on bare
metal, both in QEMU with `-icount shift=0`, where one instruction is one nanosecond of virtual
time, so the figures are instruction counts and the same on every run and machine.

    hv_bench.py --build BUILD/hv      (the hypervisor's build directory)

Under the hypervisor the inmate is the root cell on CPU 0 (examples/hv/bench.yaml, `-smp 1`,
so no other CPU's instructions advance virtual time); on bare metal QEMU runs the same image at
EL1 (`virtualization=off`), told so by a word its loader writes. Compared:

  timer IRQ    virtual-timer deadline -> first instruction of the inmate's C handler (vector and
               ICC_IAR1_EL1 read included); under the hypervisor the physical IRQ goes to EL2,
               which injects it through a hardware-linked list register.
  null call    HVC `version` round trip under the hypervisor, against an SVC to the inmate's own
               EL1 handler on bare metal (the cheapest exception round trip there is; the SVC
               under the hypervisor is printed too, it never leaves EL1).
  boot         hypervisor's first instruction -> the root cell's first instruction (QEMU's own
               start-up is excluded: both are read from the counter); bare metal: 0 by
               definition, the image is the reset entry.
  integrity    the hypervisor's longest integrity-check step of one tick (SHA-256 of the next
               2 KiB of its text+rodata, docs/measurements.md), as the hypervisor timed it with
               the counter (one tick = 16 instructions); hypervisor only.

Links (hypervisor only, docs/links.md): the `pingpong` inmate as root and as the cell `pong`
(examples/hv/links.yaml, `-smp 2`): the average of 100 round trips (after 10 not measured) of a 64-byte message through
the link's queues, each way announced by the doorbell (push, link_ring HVC, virtual interrupt,
pop, and back), and a stream of 2000 64-byte messages through a 16-slot queue without doorbells.
With two vCPUs QEMU runs them in turn under -icount, so the counter counts the instructions of
both CPUs (spinning included): these are instructions of the whole machine per event.
"""
import argparse
import re
import subprocess
import sys

QEMU = ["qemu-system-aarch64", "-cpu", "cortex-a57", "-smp", "1", "-m", "1G", "-nographic",
        "-net", "none", "-monitor", "none", "-icount", "shift=0"]
BARE_FLAG = "0x48fff000"  # hv/inmates/bench/main.cpp
NS_PER_TICK = None


def run(cmd):
    out = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
    text = out.stdout.decode(errors="replace") + out.stderr.decode(errors="replace")
    if "bench: done" not in text:
        sys.exit("bench run failed:\n" + " ".join(cmd) + "\n" + text)
    return text


def figures(text):
    found = {}
    m = re.search(r"bench: mode \w+, counter (\d+) Hz", text)
    found["ns_per_tick"] = 1e9 / int(m.group(1))
    for name in ("svc", "hvc"):
        m = re.search(rf"bench: {name} ([0-9.]+)", text)
        if m:
            found[name] = float(m.group(1))
    m = re.search(r"bench: timer ([0-9.]+) min (\d+) max (\d+)", text)
    found["timer"], found["timer_min"], found["timer_max"] = (float(m.group(1)),
                                                              int(m.group(2)), int(m.group(3)))
    m = re.search(r"bench: boot (\d+)", text)
    found["first_insn_ns"] = int(m.group(1))
    m = re.search(r"bench: integrity step (\d+)", text)
    if m:
        found["integrity"] = int(m.group(1))
    m = re.search(r"counter (\d+) at the hypervisor's first instruction", text)
    if m:
        found["hv_entry_ns"] = int(m.group(1)) * found["ns_per_tick"]
    return found


def run_links(b):
    cmd = QEMU + ["-M", "virt,virtualization=on,gic-version=3",
                  "-semihosting-config", "enable=on,target=native",
                  "-kernel", f"{b}/hv.elf",
                  "-device", f"loader,file={b}/examples-hv/links.jcb,addr=0x7f000000",
                  "-device", f"loader,file={b}/inmates/pingpong.bin,addr=0x48000000",
                  "-device", f"loader,file={b}/examples-hv/links-cells.pong.jcb,addr=0x50000000",
                  "-device", f"loader,file={b}/inmates/pingpong.bin,addr=0x50100000"]
    cmd[cmd.index("-smp") + 1] = "2"
    out = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
    text = out.stdout.decode(errors="replace") + out.stderr.decode(errors="replace")
    found = {}
    for key, pattern in (("round_trip", r"ping: round trip via doorbell: ([0-9.]+) counter ticks"),
                         ("per_message", r"ping: per streamed message: ([0-9.]+) counter ticks")):
        m = re.search(pattern, text)
        if not m:
            sys.exit("links bench run failed:\n" + " ".join(cmd) + "\n" + text)
        found[key] = float(m.group(1))
    return found


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--build", required=True, help="the hypervisor's build directory (BUILD/hv)")
    args = p.parse_args()
    b = args.build
    hv = figures(run(QEMU + ["-M", "virt,virtualization=on,gic-version=3",
                             "-semihosting-config", "enable=on,target=native",
                             "-kernel", f"{b}/hv.elf",
                             "-device", f"loader,file={b}/examples-hv/bench.jcb,addr=0x7f000000",
                             "-device", f"loader,file={b}/inmates/bench.bin,addr=0x48000000"]))
    bare = figures(run(QEMU + ["-M", "virt,gic-version=3", "-kernel", f"{b}/bench.elf",
                               "-device", f"loader,addr={BARE_FLAG},data=1,data-len=4"]))
    boot = hv["first_insn_ns"] - hv["hv_entry_ns"]

    print("Hypervisor paths, QEMU virt cortex-a57, -icount shift=0 (1 instruction = 1 ns;")
    print(f"counter tick = {hv['ns_per_tick']:.0f} instructions); instructions per event:\n")
    print(f"{'path':<44}{'hypervisor':>12}{'bare metal':>12}{'ratio':>8}")
    rows = [
        ("timer IRQ: deadline -> guest C handler (avg)", hv["timer"], bare["timer"]),
        ("  min / max", f"{hv['timer_min']}/{hv['timer_max']}",
         f"{bare['timer_min']}/{bare['timer_max']}"),
        ("null call: HVC version vs bare-metal SVC", hv["hvc"], bare["svc"]),
        ("  SVC round trip (stays at EL1)", hv["svc"], bare["svc"]),
        ("boot: hv entry -> root's first instruction", boot, 0),
    ]
    for name, a, c in rows:
        if isinstance(a, str):
            print(f"{name:<44}{a:>12}{c:>12}")
            continue
        ratio = f"{a / c:.1f}x" if c else "-"
        print(f"{name:<44}{a:>12.1f}{c:>12.1f}{ratio:>8}")
    if "integrity" in hv:
        print(f"{'integrity check: longest step of a tick':<44}{hv['integrity']:>12.1f}"
              f"{'-':>12}{'-':>8}")

    links = run_links(b)
    tick = hv["ns_per_tick"]
    round_trip = links["round_trip"] * tick
    per_message = links["per_message"] * tick
    print("\nLinks (two cells, -smp 2; instructions of both CPUs):\n")
    print(f"{'link round trip via doorbell (64 bytes each way)':<52}{round_trip:>12.0f} instructions")
    print(f"{'queue stream, 64-byte messages':<52}{per_message:>12.1f} instructions/message")
    print(f"{'  throughput':<52}{1e6 / per_message:>12.0f} messages per 1M instructions")
    print(f"{'':<52}{64e6 / per_message:>12.0f} bytes per 1M instructions")


if __name__ == "__main__":
    main()
