#!/usr/bin/env python3
"""Summarise a jailconf system as a table: one row per cell with its CPUs, memory, interrupts
and devices, then the links.

    python examples/python/summarise.py examples/qemu-virt.yaml
"""

import argparse
import sys

import pyjailconf


def human_size(n: int) -> str:
    for unit, shift in (("G", 30), ("M", 20), ("K", 10)):
        if n >= 1 << shift and n % (1 << shift) == 0:
            return f"{n >> shift}{unit}"
    return f"{n:#x}"


def ranges(rs) -> str:
    return ",".join(str(r.first) if r.first == r.last else f"{r.first}-{r.last}" for r in rs)


def table(rows, header):
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    lines = ["  ".join(str(x).ljust(w) for x, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(x).ljust(w) for x, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines)


def summarise(system: pyjailconf.System) -> str:
    rows = []
    for cell in system.cells:
        ram = sum(r.size for r in cell.memory if "io" not in r.flags)
        mmio = sum(1 for r in cell.memory if "io" in r.flags)
        rows.append([cell.name, "yes" if cell.root else "", ranges(cell.cpus), human_size(ram),
                     mmio, ranges(cell.irqs), len(cell.pci_devices),
                     cell.console.type if cell.console else ""])
    out = [f"{system.platform.name} ({system.arch}), hypervisor at "
           f"{system.hypervisor.memory_phys:#x} ({human_size(system.hypervisor.memory_size)})",
           "",
           table(rows, ["cell", "root", "cpus", "ram", "mmio", "irqs", "pci", "console"])]
    if len(system.links):
        out += ["", table([[l.name, "<->".join(l.peers), f"{l.phys:#x}", human_size(l.size),
                            "" if l.doorbell_irq is None else l.doorbell_irq]
                           for l in system.links],
                          ["link", "peers", "phys", "size", "doorbell"])]
    return "\n".join(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", help="system YAML")
    args = parser.parse_args(argv)
    try:
        system = pyjailconf.load(args.file)
    except pyjailconf.LoadError as e:
        print(e, file=sys.stderr)
        return 1
    except OSError as e:
        print(f"error: {e}", file=sys.stderr)
        return 3
    print(summarise(system))
    return 0


if __name__ == "__main__":
    sys.exit(main())
