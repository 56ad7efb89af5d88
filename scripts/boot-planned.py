#!/usr/bin/env python3
"""Boots what `confgen generate --request` planned, under the hypervisor in QEMU virt.

    boot-planned.py --confgen CONFGEN --hv-build BUILD/hv --system out/system.yaml --work DIR
                    [--run-qemu tests/system/run_qemu.py -- RUN_QEMU_ARGS...]

The planner writes the machine *once the cells exist*: the root cell keeps only what the other
cells did not take, and the cell blobs (out/system.<cell>.jcb, from `confgen compile`) describe
the cells. The hypervisor starts with the root alone and the root creates the cells out of its
own resources (docs/hypercalls.md), so the root must own the cells' resources at boot. This
script derives that boot view from the generated files, nothing re-typed
(docs/boot-protocol.md, "Booting a planned system"):

1. boot.yaml: the generated platform, hypervisor and root cell, plus every resource of every
   non-root cell (CPUs, interrupts, memory as root regions at their physical addresses, RAM
   read/write/execute, `io` as it is), and the root's RAM region holding the root image's link
   address split there with the upper part flagged `loadable`, so that the hypervisor enters the
   root there (QEMU's loader puts its device tree at the base of RAM, where the generated root
   would otherwise start). The links are kept as generated: they name the cells the root will
   create, which this root-only view does not describe (confgen notes JC-LINK-LATER-PEER), and
   the hypervisor maps each link into a cell of a peer's name when the root creates it.
   `confgen compile` makes boot.jcb, the system descriptor.
2. The cell blobs are the generated ones, unchanged. Each cell gets a demo image: a cell with a
   watchdog runs `rtbeat` (timer interrupts beat its heartbeat, then it stops: the watchdog kill),
   the others `hello`. Each image's link address (its ELF entry) must be the guest address of
   the cell's loadable region in the generated YAML, and fit it.
3. staging.bin, the table the `planned` root inmate reads at 0x50000000 (STAGING_TABLE below and
   hv/inmates/planned/main.cpp): per cell its blob and image addresses and sizes, the load
   address and the watchdog timeout; then the names of up to MAX_LINKS links (the root pings
   on those it is the first peer of, rtbeat answers on the link named `ping`). The blobs and images are staged after it, every staged
   byte inside the generated root's own RAM (checked).

Without --run-qemu, QEMU runs with the console on stdout (the demo); with it, run_qemu.py boots
with the same loads and checks the console against the arguments after `--` (the system test).
"""
import argparse
import os
import struct
import subprocess
import sys

import yaml

STAGING_TABLE = 0x50000000  # hv/inmates/planned/main.cpp: table_address
STAGING_BLOBS = 0x50010000  # one 64 KiB slot per cell blob (cell_create takes at most 16 KiB)
STAGING_IMAGES = 0x50100000  # one 1 MiB slot per image
BLOB_SLOT, IMAGE_SLOT = 0x10000, 0x100000
MAX_CELLS = 7
MAX_LINKS = 4  # link names after the cells in the staging table
TABLE_MAGIC = b"JCSTAGE1"
DESCRIPTOR_ADDRESS = 0x7F000000  # docs/boot-protocol.md
QEMU = ["qemu-system-aarch64", "-M", "virt,virtualization=on,gic-version=3", "-cpu", "cortex-a57",
        "-smp", "4", "-m", "1G", "-nographic", "-net", "none", "-monitor", "none",
        "-semihosting-config", "enable=on,target=native"]


class HexDumper(yaml.SafeDumper):
    """Addresses and sizes in hexadecimal, as confgen writes them."""


HexDumper.add_representer(int, lambda d, v: d.represent_scalar(
    "tag:yaml.org,2002:int", hex(v) if v >= 0x10000 else str(v)))


def fail(message):
    sys.exit(f"boot-planned: {message}")


def size_of(value):
    if isinstance(value, int):
        return value
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
    text = str(value).strip()
    if text[-1:].upper() in units:
        return int(text[:-1], 0) * units[text[-1].upper()]
    return int(text, 0)


def ids_of(items):
    """[0-1, 3] or ["0-1", 3] -> [0, 1, 3]"""
    out = []
    for item in items or []:
        if isinstance(item, int):
            out.append(item)
        else:
            low, _, high = str(item).partition("-")
            out.extend(range(int(low, 0), int(high or low, 0) + 1))
    return out


def ranges_of(ids):
    """[0, 1, 3] -> ["0-1", 3]: the YAML's own notation"""
    out, ids = [], sorted(set(ids))
    i = 0
    while i < len(ids):
        j = i
        while j + 1 < len(ids) and ids[j + 1] == ids[j] + 1:
            j += 1
        out.append(ids[i] if i == j else f"{ids[i]}-{ids[j]}")
        i = j + 1
    return out


def elf_entry(path):
    with open(path, "rb") as f:
        header = f.read(64)
    if header[:4] != b"\x7fELF" or header[4] != 2:
        fail(f"{path}: not a 64-bit ELF")
    return struct.unpack_from("<Q", header, 24)[0]


def load_system(path):
    with open(path) as f:
        system = yaml.safe_load(f)
    cells = list(system.get("cells", []))
    links = list(system.get("links", []) or [])
    for inc in system.get("include", []) or []:
        with open(os.path.join(os.path.dirname(path), inc)) as f:
            part = yaml.safe_load(f)
        cells += part.get("cells", []) or []
        links += part.get("links", []) or []
    roots = [c for c in cells if c.get("root")]
    if len(roots) != 1:
        fail(f"{path}: expected one root cell, found {len(roots)}")
    return system, roots[0], [c for c in cells if not c.get("root")], links


def is_io(region):
    return "io" in region.get("flags", [])


def boot_view(system, root, others, entry, links):
    """The root at boot: its own resources and those of every other cell; RAM split at entry."""
    memory = []
    split = False
    for r in root.get("memory", []):
        phys, size = r["phys"], size_of(r["size"])
        if not split and not is_io(r) and phys <= entry < phys + size:
            split = True
            if entry > phys:
                memory.append(dict(r, size=entry - phys))
            upper = dict(r, name=f"{r['name']}-image", phys=entry, size=phys + size - entry)
            upper["flags"] = list(r.get("flags", [])) + ["loadable"]
            upper.pop("virt", None)
            memory.append(upper)
        else:
            memory.append(r)
    if not split:
        fail(f"no RAM region of the generated root holds the root image's address {entry:#x}")
    cpus, irqs = ids_of(root.get("cpus")), ids_of(root.get("irqs"))
    for cell in others:
        cpus += ids_of(cell.get("cpus"))
        irqs += ids_of(cell.get("irqs"))
        for r in cell.get("memory", []):
            flags = ["read", "write", "io"] if is_io(r) else ["read", "write", "execute"]
            memory.append({"name": f"{cell['name']}-{r['name']}", "phys": r["phys"],
                           "size": size_of(r["size"]), "flags": flags})
    boot_root = {"name": root["name"], "root": True, "cpus": ranges_of(cpus), "memory": memory}
    if irqs:
        boot_root["irqs"] = ranges_of(irqs)
    for key in ("console", "pci_devices", "stream_ids", "pio"):
        if key in root:
            boot_root[key] = root[key]
    view = {"format": system["format"], "arch": system["arch"], "platform": system["platform"],
            "hypervisor": system["hypervisor"], "cells": [boot_root]}
    if links:
        view["links"] = links
    return view


def inside_root_ram(root, start, size):
    for r in root.get("memory", []):
        if not is_io(r) and r["phys"] <= start and start + size <= r["phys"] + size_of(r["size"]):
            return True
    return False


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0], allow_abbrev=False)
    p.add_argument("--confgen", required=True)
    p.add_argument("--hv-build", required=True, help="the hypervisor's build directory")
    p.add_argument("--system", required=True, help="the generated system.yaml (compiled beside)")
    p.add_argument("--work", required=True, help="where boot.yaml, boot.jcb, staging.bin go")
    p.add_argument("--run-qemu", help="run_qemu.py; the arguments after -- are its expectations")
    p.add_argument("--timeout", type=float, default=30)
    args, rest = p.parse_known_args()
    if rest[:1] == ["--"]:
        rest = rest[1:]

    hv = args.hv_build
    system, root, others, links = load_system(args.system)
    if not others:
        fail("the plan has no non-root cell")
    if len(others) > MAX_CELLS:
        fail(f"{len(others)} cells; the staging table holds {MAX_CELLS}")
    stem = os.path.splitext(args.system)[0]
    os.makedirs(args.work, exist_ok=True)

    root_elf, root_bin = os.path.join(hv, "planned.elf"), os.path.join(hv, "inmates", "planned.bin")
    entry = elf_entry(root_elf)
    if len(links) > MAX_LINKS:
        fail(f"{len(links)} links; the staging table holds {MAX_LINKS}")
    view = boot_view(system, root, others, entry, links)
    boot_yaml = os.path.join(args.work, "boot.yaml")
    with open(boot_yaml, "w") as f:
        f.write(f"# The boot view of {args.system}, derived by scripts/boot-planned.py: the root\n"
                "# owns every cell's resources until it creates the cells.\n")
        yaml.dump(view, f, Dumper=HexDumper, sort_keys=False, default_flow_style=None, width=100)
    boot_jcb = os.path.join(args.work, "boot.jcb")
    subprocess.run([args.confgen, "compile", boot_yaml, "-o", boot_jcb], check=True,
                   stdout=subprocess.DEVNULL)

    # The staging table and the loads.
    if os.path.getsize(root_bin) > STAGING_TABLE - entry:
        fail(f"{root_bin} would overlap the staging table at {STAGING_TABLE:#x}")
    loads = [(boot_jcb, DESCRIPTOR_ADDRESS), (root_bin, entry)]
    table = bytearray(TABLE_MAGIC + struct.pack("<II", len(others), len(links)))
    print(f"boot-planned: root image {root_bin} at {entry:#x} (its ELF entry); "
          f"staging table at {STAGING_TABLE:#x}")
    for i, cell in enumerate(others):
        name = cell["name"]
        blob = f"{stem}.{name}.jcb"
        watchdog = int((cell.get("watchdog") or {}).get("timeout_ms", 0))
        image_name = "rtbeat" if watchdog else "hello"
        image = os.path.join(hv, "inmates", f"{image_name}.bin")
        loadable = [r for r in cell.get("memory", []) if "loadable" in r.get("flags", [])]
        if len(loadable) != 1:
            fail(f"cell {name}: expected one loadable region, found {len(loadable)}")
        region = loadable[0]
        load = region.get("virt", region["phys"])
        link = elf_entry(os.path.join(hv, f"{image_name}.elf"))
        if link != load:
            fail(f"cell {name}: {image_name} is linked at {link:#x}, the loadable region is at "
                 f"guest {load:#x}")
        image_size, blob_size = os.path.getsize(image), os.path.getsize(blob)
        if image_size > min(IMAGE_SLOT, size_of(region["size"])) or blob_size > BLOB_SLOT:
            fail(f"cell {name}: blob or image too large for its staging slot or region")
        blob_at, image_at = STAGING_BLOBS + i * BLOB_SLOT, STAGING_IMAGES + i * IMAGE_SLOT
        loads += [(blob, blob_at), (image, image_at)]
        table += struct.pack("<32s32sQQQQQQ", name.encode(), image_name.encode(), blob_at,
                             blob_size, image_at, image_size, load, watchdog)
        print(f"boot-planned: {name}: {blob} at {blob_at:#x}, {image_name} at {image_at:#x} "
              f"-> guest {load:#x}" + (f", watchdog {watchdog} ms" if watchdog else ""))
    for i in range(MAX_CELLS - len(others)):
        table += bytes(112)  # the unused cell entries: link names follow the whole cell array
    for i in range(MAX_LINKS):
        name = links[i]["name"].encode() if i < len(links) else b""
        if len(name) >= 32:
            fail(f"link {links[i]['name']}: name longer than 31 bytes")
        table += struct.pack("<32s", name)
    staging = os.path.join(args.work, "staging.bin")
    with open(staging, "wb") as f:
        f.write(table)
    loads.append((staging, STAGING_TABLE))
    last = STAGING_IMAGES + len(others) * IMAGE_SLOT
    if not inside_root_ram(root, STAGING_TABLE, last - STAGING_TABLE):
        fail(f"staging {STAGING_TABLE:#x}-{last:#x} is not inside the generated root's RAM")
    for link in links:
        print(f"boot-planned: link {link['name']} ({', '.join(link['peers'])}) in the system "
              "descriptor; the hypervisor maps it into each peer")

    hv_elf = os.path.join(hv, "hv.elf")
    if args.run_qemu:
        cmd = [sys.executable, args.run_qemu, "--hv", hv_elf, "--descriptor", boot_jcb,
               "--timeout", str(args.timeout)]
        cmd += [a for path, at in loads[1:] for a in ("--load", f"{path}@{at:#x}")]
        sys.exit(subprocess.run(cmd + rest).returncode)
    cmd = QEMU + ["-kernel", hv_elf]
    cmd += [a for path, at in loads for a in ("-device", f"loader,file={path},addr={at:#x}")]
    print("boot-planned: " + " ".join(cmd), flush=True)
    try:
        status = subprocess.run(cmd, stdin=subprocess.DEVNULL, timeout=args.timeout).returncode
    except subprocess.TimeoutExpired:
        fail(f"QEMU did not exit within {args.timeout} s")
    print(f"boot-planned: QEMU exited with status {status}")
    sys.exit(status)


if __name__ == "__main__":
    main()
