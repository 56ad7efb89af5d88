"""pyjailconf.scan / Inventory / generate on real captures: the captured x86 VM and board DTBs."""
import json
import pathlib
import subprocess

import pytest

import pyjailconf

from conftest import confgen_binary

REPO = pathlib.Path(__file__).resolve().parents[2]
X86_VM = REPO / "tests/fixtures/machines/x86-vm"
QEMU_DTB = REPO / "tests/fixtures/fdt/qemu-virt-gicv3.dtb"


def test_scan_a_machine_tree():
    inv = pyjailconf.scan(root=X86_VM)
    assert isinstance(inv, pyjailconf.Inventory)
    assert inv.machine.arch == "x86_64"
    assert len(inv.pci) == 6
    bdfs = [f"{f.bus:02x}:{f.device:02x}.{f.function}" for f in inv.pci]
    assert bdfs == sorted(bdfs)
    assert all(f.origin.file.startswith("/sys/bus/pci/devices/") for f in inv.pci)
    assert "Inventory(x86_64" in repr(inv)
    assert any(w.code == "no-iommu" for w in inv.warnings)


def test_scan_equals_the_cli(tmp_path):
    inv = pyjailconf.scan(dtb=QEMU_DTB)
    out = tmp_path / "cli.json"
    confgen = confgen_binary()
    if confgen is None:
        pytest.skip("no confgen binary built (set CONFGEN)")
    subprocess.run([confgen, "scan", "--dtb", QEMU_DTB, "-o", out], check=True, capture_output=True)
    assert json.loads(inv.to_json()) == json.loads(out.read_text())


def test_inventory_round_trips_through_yaml_and_files(tmp_path):
    inv = pyjailconf.scan(dtb=QEMU_DTB)
    assert pyjailconf.Inventory.from_text(inv.to_yaml()) == inv
    inv.save(tmp_path / "inv.yaml")
    inv.save(tmp_path / "inv.json")
    assert pyjailconf.load_inventory(tmp_path / "inv.yaml") == inv
    assert pyjailconf.load_inventory(tmp_path / "inv.json") == inv


def test_generate_gives_a_system_that_checks_and_compiles():
    inv = pyjailconf.scan(dtb=QEMU_DTB)
    system = pyjailconf.generate(inv, hv_memory=32 << 20)
    assert system.hypervisor.memory_size == 32 << 20
    assert [c.name for c in system.cells] == ["root"]
    assert [d for d in pyjailconf.check(system) if d.severity == "error"] == []
    assert system.compile()[:4] == b"JCFG"


def test_editing_an_inventory_is_checked_by_the_cpp_reader():
    inv = pyjailconf.scan(dtb=QEMU_DTB)
    inv.cpus[0].hw_id = -1
    with pytest.raises(pyjailconf.ScanError) as info:
        inv.to_yaml()
    assert "non-negative" in str(info.value)
    inv = pyjailconf.scan(dtb=QEMU_DTB)
    del inv.cpus[3]
    system = pyjailconf.generate(inv)
    assert len(system.platform.cpus) == 3


def test_scan_errors_carry_file_offset_and_fix(tmp_path):
    bad = tmp_path / "bad.dtb"
    bad.write_bytes(b"\xd0\x0d\xfe\xed" + b"\x00" * 60)
    with pytest.raises(pyjailconf.ScanError) as info:
        pyjailconf.scan(dtb=bad)
    assert info.value.file == str(bad)
    assert info.value.offset is not None
    assert isinstance(info.value, pyjailconf.JailconfError)
    with pytest.raises(pyjailconf.ScanError):
        pyjailconf.scan(snapshot=tmp_path / "missing.tar")
    with pytest.raises(ValueError):
        pyjailconf.scan(root=X86_VM, dtb=QEMU_DTB)


def test_generate_errors_say_why():
    inv = pyjailconf.scan(dtb=QEMU_DTB)
    with pytest.raises(pyjailconf.GenerateError) as info:
        pyjailconf.generate(inv, hv_memory=1 << 40)
    assert "no free RAM range" in str(info.value)
    assert info.value.fix
