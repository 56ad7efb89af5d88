"""System.guest_device_trees / pyjailconf.guest_device_trees: each cell's guest device tree (DTS
text and DTB bytes), the same bytes as `confgen guest-dt`, and errors as exceptions."""

import concurrent.futures
import subprocess

import pytest

import pyjailconf

from conftest import REPO

BOARD = REPO / "tests/fixtures/fdt/qemu-virt-gicv3.dtb"
EXAMPLE = REPO / "examples/qemu-virt.yaml"


@pytest.fixture(scope="module")
def virt(tmp_path_factory):
    inv = pyjailconf.scan(dtb=BOARD)
    path = tmp_path_factory.mktemp("virt") / "inventory.yaml"
    inv.save(path)
    return inv, path


def test_every_cell_as_the_cli_writes_it(virt, confgen, tmp_path):
    inv, inv_path = virt
    system = pyjailconf.load(EXAMPLE)
    for host in (None, BOARD):
        trees = system.guest_device_trees(inv_path, host_dtb=host)
        assert list(trees) == [c.name for c in system.cells]
        out = tmp_path / ("host" if host else "plain")
        args = ["guest-dt", EXAMPLE, "--inventory", inv_path, "-o", out]
        if host:
            args += ["--host-dtb", host]
        r = confgen(*args)
        assert r.returncode == 0, r.stderr
        for name, tree in trees.items():
            dts, dtb = tree  # unpacks as (dts, dtb)
            assert tree.cell == name
            assert isinstance(dts, str) and isinstance(dtb, bytes)
            assert dts == (out / f"{name}.dts").read_text()
            assert dtb == (out / f"{name}.dtb").read_bytes()
            assert tree[0] == dts and tree[1] == dtb
            for note in tree.notes:
                assert f"confgen: note: cell '{name}': {note}" in r.stderr
    # the Inventory object and the module function give the same bytes
    again = pyjailconf.guest_device_trees(system, inv, host_dtb=BOARD)
    assert {n: (t.dts, t.dtb) for n, t in again.items()} == \
        {n: (t.dts, t.dtb) for n, t in system.guest_device_trees(inv_path, BOARD).items()}


def test_the_guest_sees_its_cell(virt, tmp_path):
    inv, _ = virt
    system = pyjailconf.load(EXAMPLE)
    rt = system.guest_device_trees(inv, host_dtb=BOARD, cell="rt")
    assert list(rt) == ["rt"]
    dts, dtb = rt["rt"]
    assert dtb[:4] == b"\xd0\x0d\xfe\xed"
    # dtc compiles the text; our scanner reads the blob: one CPU and the RTC
    src = tmp_path / "rt.dts"
    src.write_text(dts)
    compiled = subprocess.run(["dtc", "-I", "dts", "-O", "dtb", "-o", tmp_path / "rt.dtb", src],
                              capture_output=True, text=True)
    assert compiled.returncode == 0, compiled.stderr
    blob = tmp_path / "guest.dtb"
    blob.write_bytes(dtb)
    guest = pyjailconf.scan(dtb=blob)
    assert len(guest.cpus) == len([c for r in system.find_cell("rt").cpus
                                   for c in range(r.first, r.last + 1)])
    assert any("arm,pl031" in (d.compatible or []) for d in guest.devices)


def test_changes_to_the_model_show_in_the_tree(virt):
    inv, _ = virt
    system = pyjailconf.load(EXAMPLE)
    before = system.guest_device_trees(inv, cell="rt")["rt"].dts
    rt = system.find_cell("rt")
    del rt.memory[[r.name for r in rt.memory].index("rtc")]
    after = system.guest_device_trees(inv, cell="rt")["rt"].dts
    assert "pl031" in before and "pl031" not in after


def test_errors(virt, tmp_path):
    inv, inv_path = virt
    system = pyjailconf.load(EXAMPLE)
    with pytest.raises(ValueError) as info:
        system.guest_device_trees(inv, cell="nope")
    assert "no cell 'nope'" in str(info.value) and "root, rt" in str(info.value)
    with pytest.raises(pyjailconf.NotSupportedError) as info:
        pyjailconf.load(REPO / "examples/x86-q35.yaml").guest_device_trees(inv)
    assert str(info.value) == "not supported yet: guest device trees for x86_64"
    with pytest.raises(FileNotFoundError):
        system.guest_device_trees(tmp_path / "none.yaml")
    with pytest.raises(FileNotFoundError):
        system.guest_device_trees(inv, host_dtb=tmp_path / "none.dtb")
    half = tmp_path / "half.dtb"
    half.write_bytes(BOARD.read_bytes()[: BOARD.stat().st_size // 2])
    with pytest.raises(pyjailconf.ScanError) as info:
        system.guest_device_trees(inv, host_dtb=half)
    assert "half.dtb" in str(info.value) and "truncated" in str(info.value)

    # a cell without RAM cannot be described: the CLI's message, with fix
    broken = system.copy()
    rt = broken.find_cell("rt")
    rt.memory = [r.copy() for r in rt.memory if "io" in r.flags or "comm_region" in r.flags]
    with pytest.raises(pyjailconf.GuestDeviceTreeError) as info:
        broken.guest_device_trees(inv)
    assert "cell 'rt' has no RAM" in str(info.value) and info.value.fix

    # a system with check errors gets no tree; the diagnostics say why
    overlapping = system.copy()
    overlapping.find_cell("rt").memory.append(pyjailconf.MemoryRegion(
        name="dup", phys=0x40000000, size=0x1000, flags=["read", "write"]))
    with pytest.raises(pyjailconf.GuestDeviceTreeError) as info:
        overlapping.guest_device_trees(inv)
    assert any(d.is_error for d in info.value.diagnostics)


def test_threads(virt):
    inv, inv_path = virt
    system = pyjailconf.load(EXAMPLE)

    def work(_):
        return {n: t.dtb for n, t in system.guest_device_trees(inv_path, BOARD).items()}

    serial = work(0)
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(work, range(6))) == [serial] * 6
