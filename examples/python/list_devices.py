#!/usr/bin/env python3
"""List the devices of a scanned machine: PCI functions with names, BARs and IOMMU groups, then
platform devices with their registers and interrupts.

    python3 examples/python/list_devices.py --root tests/fixtures/machines/x86-vm
    python3 examples/python/list_devices.py --dtb tests/fixtures/fdt/imx8mp-evk.dtb
    python3 examples/python/list_devices.py inventory.yaml
"""
import argparse
import sys

import pyjailconf


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("inventory", nargs="?", help="inventory written by 'confgen scan -o'")
    src = p.add_mutually_exclusive_group()
    src.add_argument("--root")
    src.add_argument("--snapshot")
    src.add_argument("--dtb")
    args = p.parse_args()
    try:
        if args.inventory:
            inv = pyjailconf.load_inventory(args.inventory)
        else:
            inv = pyjailconf.scan(root=args.root, snapshot=args.snapshot, dtb=args.dtb)
    except pyjailconf.JailconfError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    for f in inv.pci:
        name = " ".join(x for x in (f.vendor_name, f.device_name) if x) or "?"
        bars = ", ".join(f"BAR{b.index} {b.region.base:#x}+{b.region.size:#x}" for b in f.bars or [])
        group = f.iommu_group if f.iommu_group is not None else "-"
        print(f"{f.segment:04x}:{f.bus:02x}:{f.device:02x}.{f.function} "
              f"[{f.vendor_id:04x}:{f.device_id:04x}] {name}; group {group}; {bars}")
    for d in inv.devices:
        if d.status != "okay":
            continue
        regs = ", ".join(f"{r.base:#x}+{r.size:#x}" for r in d.regs or [])
        irqs = ", ".join(str(i.id) for i in d.irqs or [])
        print(f"{d.path}: {regs}" + (f"; irqs {irqs}" if irqs else ""))
    for w in inv.warnings:
        print(f"warning [{w.code}]: {w.message}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
