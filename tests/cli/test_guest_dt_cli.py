"""`confgen guest-dt` as a user runs it: scan a real board, then write each cell's guest device
tree; dtc compiles the text without warnings and sees the same tree in the blob, and our own
scanner reading the blob back finds exactly the cell's CPUs, RAM, devices and interrupts."""
import json
import re
import subprocess

import pytest
import yaml

BOARD = "tests/fixtures/fdt/qemu-virt-gicv3.dtb"
EXAMPLE = "examples/qemu-virt.yaml"


def num(v):
    return int(v, 0) if isinstance(v, str) else int(v)


def size(v):
    if isinstance(v, str) and v[-1] in "KMGT":
        return int(v[:-1], 0) << {"K": 10, "M": 20, "G": 30, "T": 40}[v[-1]]
    return num(v)


@pytest.fixture
def inventory(confgen, repo, tmp_path):
    out = tmp_path / "inventory.yaml"
    r = confgen("scan", "--dtb", repo / BOARD, "-o", out)
    assert r.returncode == 0, r.stderr
    return out


def guest_dt(confgen, repo, inventory, out, *extra, system=EXAMPLE):
    return confgen("guest-dt", repo / system, "--inventory", inventory, "--host-dtb",
                   repo / BOARD, "-o", out, *extra)


def dtc(*args):
    return subprocess.run(["dtc", *map(str, args)], capture_output=True, text=True)


def test_writes_every_cell_and_dtc_agrees(confgen, repo, inventory, tmp_path):
    out = tmp_path / "out"
    r = guest_dt(confgen, repo, inventory, out)
    assert r.returncode == 0, r.stderr
    cells = [c["name"] for c in yaml.safe_load((repo / EXAMPLE).read_text())["cells"]]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{c}.dts" for c in cells] + [f"{c}.dtb" for c in cells])
    for c in cells:
        compiled = dtc("-I", "dts", "-O", "dtb", "-o", tmp_path / "x.dtb", out / f"{c}.dts")
        assert compiled.returncode == 0 and compiled.stderr == "", compiled.stderr
        # dtc prints a tree read from DTS with its labels; compare both in blob form.
        text = dtc("-I", "dtb", "-O", "dts", tmp_path / "x.dtb")
        blob = dtc("-I", "dtb", "-O", "dts", out / f"{c}.dtb")
        assert blob.returncode == 0 and blob.stdout == text.stdout


def test_the_guest_sees_exactly_its_cell(confgen, repo, inventory, tmp_path):
    out = tmp_path / "out"
    assert guest_dt(confgen, repo, inventory, out).returncode == 0
    system = yaml.safe_load((repo / EXAMPLE).read_text())
    for cell in system["cells"]:
        r = confgen("scan", "--dtb", out / f"{cell['name']}.dtb", "--format", "json")
        assert r.returncode == 0, r.stderr
        seen = json.loads(r.stdout)
        cpus = set()
        for c in cell["cpus"]:
            first, _, last = str(c).partition("-")
            cpus |= set(range(int(first), int(last or first) + 1))
        assert len(seen["cpus"]) == len(cpus)
        ram = sorted((num(m.get("virt", m["phys"])), size(m["size"])) for m in cell["memory"]
                     if {"read", "write"} <= set(m["flags"]) and not
                     {"io", "comm_region", "shared", "rootshared"} & set(m["flags"]))
        assert sorted((num(m["region"]["base"]), num(m["region"]["size"]))
                      for m in seen["memory"]) == ram
        spaces = [(num(m.get("virt", m["phys"])), size(m["size"])) for m in cell["memory"]]
        irqs = set()
        for i in cell.get("irqs", []):
            first, _, last = str(i).partition("-")
            irqs |= set(range(int(first), int(last or first) + 1))
        assert seen["devices"], cell["name"]
        for d in seen["devices"]:
            for reg in d["regs"]:
                b, s = num(reg["base"]), num(reg["size"])
                assert any(v <= b and b + s <= v + n for v, n in spaces), (cell["name"], d)
            for i in d.get("irqs", []):
                assert num(i["id"]) in irqs, (cell["name"], d)


def test_one_cell_one_format_and_same_bytes_twice(confgen, repo, inventory, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert guest_dt(confgen, repo, inventory, a, "--cell", "rt", "--format", "dtb").returncode == 0
    assert guest_dt(confgen, repo, inventory, b, "--cell", "rt", "--format", "dtb").returncode == 0
    assert [p.name for p in a.iterdir()] == ["rt.dtb"]
    assert (a / "rt.dtb").read_bytes() == (b / "rt.dtb").read_bytes()
    r = guest_dt(confgen, repo, inventory, a, "--cell", "rt", "--format", "dts")
    assert r.returncode == 0
    assert "jailconf,shared-memory" in (a / "rt.dts").read_text()


def test_usage_errors(confgen, repo, inventory, tmp_path):
    out = tmp_path / "out"
    r = guest_dt(confgen, repo, inventory, out, "--cell", "nope")
    assert r.returncode == 2
    assert "no cell 'nope'" in r.stderr and "root, rt" in r.stderr
    assert guest_dt(confgen, repo, inventory, out, "--format", "svg").returncode == 2
    assert confgen("guest-dt", repo / EXAMPLE, "-o", out).returncode == 2  # --inventory missing
    r = guest_dt(confgen, repo, inventory, out, system="examples/x86-q35.yaml")
    assert r.returncode == 2
    assert "not supported yet: guest device trees for x86_64" in r.stderr
    assert not out.exists()
    r = confgen("guest-dt", "--help")
    assert r.returncode == 0 and "--host-dtb" in r.stdout and "--cell" in r.stdout


def test_broken_host_blob_is_an_input_error_with_no_output(confgen, repo, inventory, tmp_path):
    blob = (repo / BOARD).read_bytes()
    half = tmp_path / "half.dtb"
    half.write_bytes(blob[: len(blob) // 2])
    out = tmp_path / "out"
    r = confgen("guest-dt", repo / EXAMPLE, "--inventory", inventory, "--host-dtb", half,
                "-o", out)
    assert r.returncode == 1
    assert "half.dtb" in r.stderr and "truncated" in r.stderr
    assert not out.exists()
    junk = tmp_path / "junk.dtb"
    junk.write_bytes(b"not a device tree at all")
    r = confgen("guest-dt", repo / EXAMPLE, "--inventory", inventory, "--host-dtb", junk,
                "-o", out)
    assert r.returncode == 1 and "magic" in r.stderr
    assert not out.exists()


def test_missing_files_are_io_errors(confgen, repo, inventory, tmp_path):
    out = tmp_path / "out"
    r = confgen("guest-dt", repo / EXAMPLE, "--inventory", tmp_path / "none.yaml", "-o", out)
    assert r.returncode == 3
    r = confgen("guest-dt", repo / EXAMPLE, "--inventory", inventory, "--host-dtb",
                tmp_path / "none.dtb", "-o", out)
    assert r.returncode == 3
    assert not out.exists()


def test_a_cell_that_cannot_be_described_writes_no_cell_at_all(confgen, repo, inventory,
                                                                tmp_path):
    system = yaml.safe_load((repo / EXAMPLE).read_text())
    rt = next(c for c in system["cells"] if c["name"] == "rt")
    rt["memory"] = [m for m in rt["memory"] if "io" in m["flags"] or "comm_region" in m["flags"]]
    broken = tmp_path / "no-ram.yaml"
    broken.write_text(yaml.safe_dump(system))
    out = tmp_path / "out"
    r = confgen("guest-dt", broken, "--inventory", inventory, "-o", out)
    assert r.returncode == 1
    assert "cell 'rt' has no RAM" in r.stderr and "fix:" in r.stderr
    assert not out.exists()  # not even the root cell's tree, which could be built
