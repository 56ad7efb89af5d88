#!/usr/bin/env python3
"""Move a memory region or a PCI device from one cell to another, re-check the system and write
the result as YAML (stdout or -o). Exit status 1 when the moved system has errors.

    python examples/python/move_resource.py examples/qemu-virt.yaml --region rtc --to root
    python examples/python/move_resource.py sys.yaml --device 00:01.0 --from root --to rt -o new.yaml
"""

import argparse
import sys

import pyjailconf


def find_owner(system, predicate):
    for cell in system.cells:
        if predicate(cell):
            return cell
    return None


def move_region(system, name, source, dest):
    """Moves the region called `name` from cell `source` (or whichever cell has it) to `dest`."""
    src = system.find_cell(source) if source else find_owner(
        system, lambda c: c.find_region(name) is not None)
    dst = system.find_cell(dest)
    if src is None or dst is None:
        raise SystemExit(f"error: no such cell: {source if src is None else dest}")
    # Find the index first: a Python variable still holding the element would make the
    # deletion fail (it would refer to freed model memory).
    index = next((i for i, r in enumerate(src.memory) if r.name == name), None)
    if index is None:
        raise SystemExit(f"error: cell '{src.name}' has no region '{name}'")
    dst.memory.append(src.memory[index].copy())
    del src.memory[index]


def move_device(system, bdf, source, dest):
    src = system.find_cell(source) if source else find_owner(
        system, lambda c: any(d.bdf == bdf for d in c.pci_devices))
    dst = system.find_cell(dest)
    if src is None or dst is None:
        raise SystemExit(f"error: no such cell: {source if src is None else dest}")
    index = next((i for i, d in enumerate(src.pci_devices) if d.bdf == bdf), None)
    if index is None:
        raise SystemExit(f"error: cell '{src.name}' has no PCI device {bdf}")
    dst.pci_devices.append(src.pci_devices[index].copy())
    del src.pci_devices[index]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", help="system YAML")
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--region", help="name of the memory region to move")
    what.add_argument("--device", help="BDF of the PCI device to move, e.g. 00:01.0")
    parser.add_argument("--from", dest="source", help="cell that owns it (default: search)")
    parser.add_argument("--to", dest="dest", required=True, help="cell that gets it")
    parser.add_argument("-o", "--output", help="YAML file to write (default: stdout)")
    args = parser.parse_args(argv)

    system = pyjailconf.load(args.file)
    if args.region:
        move_region(system, args.region, args.source, args.dest)
    else:
        move_device(system, args.device, args.source, args.dest)

    diagnostics = system.check()
    for d in diagnostics:
        print(f"{d.severity}: [{d.rule}] {d.message}", file=sys.stderr)
    errors = [d for d in diagnostics if d.is_error]
    yaml = system.to_yaml()
    if args.output:
        with open(args.output, "w") as f:
            f.write(yaml)
    else:
        sys.stdout.write(yaml)
    print(f"moved; {len(errors)} error(s) after the move", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
