"""collect -> scan -> generate as a user runs them: on the captured x86 VM, on real board DTBs,
and on this machine itself (the live scan must equal the scan of its own snapshot)."""
import json
import os
import subprocess
import tarfile

import pytest

X86_VM = "tests/fixtures/machines/x86-vm"
BOARDS = ["qemu-virt-gicv3.dtb", "qemu-virt-gicv2.dtb", "qemu-virt-smmuv3-pci.dtb",
          "imx8mp-evk.dtb", "juno-r2.dtb", "zynqmp-zcu102-rev1.0.dtb"]


def test_collect_lists_its_allow_list(confgen):
    r = confgen("collect", "--list")
    assert r.returncode == 0
    assert "/proc/iomem" in r.stdout
    assert "/sys/bus/pci/devices/*/config" in r.stdout


def test_collect_from_a_tree_writes_a_snapshot_gnu_tar_reads(confgen, repo, tmp_path):
    out = tmp_path / "snap.tar"
    r = confgen("collect", "--root", repo / X86_VM, "-o", out)
    assert r.returncode == 0, r.stderr
    assert "wrote" in r.stderr and "/proc/iomem" in r.stderr  # progress per pattern
    with tarfile.open(out) as t:
        names = t.getnames()
    assert "jailconf-snapshot.yaml" in names
    assert "proc/iomem" in names
    assert not any(n.startswith("etc") for n in names)


def test_collect_refuses_a_missing_root(confgen, tmp_path):
    r = confgen("collect", "--root", tmp_path / "nope", "-o", tmp_path / "s.tar")
    assert r.returncode == 3
    assert not (tmp_path / "s.tar").exists()


def test_scan_of_a_snapshot_equals_the_scan_of_its_tree(confgen, repo, tmp_path):
    snap = tmp_path / "snap.tar"
    assert confgen("collect", "--root", repo / X86_VM, "-o", snap, "-q").returncode == 0
    a = confgen("scan", "--root", repo / X86_VM)
    b = confgen("scan", "--snapshot", snap)
    assert a.returncode == 0, a.stderr
    assert b.returncode == 0, b.stderr
    assert a.stdout == b.stdout
    assert "format: jailconf-inventory/1" in a.stdout


def test_live_scan_equals_the_scan_of_a_snapshot_of_this_machine(confgen, tmp_path):
    snap = tmp_path / "live.tar"
    r = confgen("collect", "-o", snap, "-q")
    assert r.returncode == 0, r.stderr
    live = confgen("scan", "--format", "json")
    offline = confgen("scan", "--snapshot", snap, "--format", "json")
    assert live.returncode == 0, live.stderr
    assert offline.returncode == 0, offline.stderr
    assert json.loads(live.stdout) == json.loads(offline.stdout)


def test_scan_json_and_yaml_outputs(confgen, repo, tmp_path):
    out = tmp_path / "inv.json"
    r = confgen("scan", "--root", repo / X86_VM, "-o", out)
    assert r.returncode == 0, r.stderr
    inv = json.loads(out.read_text())
    assert inv["format"] == "jailconf-inventory/1"
    assert inv["pci"], "the VM has virtio PCI functions"
    # Every fact says where it came from.
    assert all(f["origin"]["file"].startswith("/sys/bus/pci/devices/") for f in inv["pci"])


def test_scan_of_a_board_dtb_and_generate_passes_check(confgen, repo, tmp_path):
    for board in BOARDS:
        inv = tmp_path / f"{board}.yaml"
        r = confgen("scan", "--dtb", repo / "tests/fixtures/fdt" / board, "-o", inv)
        assert r.returncode == 0, (board, r.stderr)
        out = tmp_path / board
        g = confgen("generate", "--inventory", inv, "-o", out)
        assert g.returncode == 0, (board, g.stderr)
        c = confgen("check", out / "system.yaml")
        assert c.returncode == 0, (board, c.stderr)
        blob = tmp_path / f"{board}.jcb"
        assert confgen("compile", out / "system.yaml", "-o", blob).returncode == 0


def test_generate_for_the_x86_vm_passes_check(confgen, repo, tmp_path):
    inv = tmp_path / "inv.yaml"
    assert confgen("scan", "--root", repo / X86_VM, "-o", inv).returncode == 0
    g = confgen("generate", "--inventory", inv, "-o", tmp_path)
    assert g.returncode == 0, g.stderr
    text = (tmp_path / "system.yaml").read_text()
    assert "arch: x86_64" in text
    assert confgen("check", tmp_path / "system.yaml").returncode == 0


def test_scan_errors_name_the_file_and_offset(confgen, tmp_path):
    bad = tmp_path / "bad.dtb"
    bad.write_bytes(b"\xd0\x0d\xfe\xed" + b"\x00" * 60)
    r = confgen("scan", "--dtb", bad)
    assert r.returncode == 1
    assert str(bad) in r.stderr and "+0x" in r.stderr
    assert confgen("scan", "--dtb", tmp_path / "missing.dtb").returncode == 3
    assert confgen("scan", "--snapshot", bad).returncode in (1, 3)


def test_scan_sources_are_exclusive(confgen, repo):
    r = confgen("scan", "--root", repo / X86_VM, "--dtb", "x.dtb")
    assert r.returncode == 2


def test_generate_with_a_request_for_the_x86_vm(confgen, repo, tmp_path):
    inv = tmp_path / "inv.yaml"
    assert confgen("scan", "--root", repo / X86_VM, "-o", inv).returncode == 0
    req = tmp_path / "r.yaml"
    req.write_text("format: jailconf/1\ncells:\n  - {name: a, cpus: 1, memory: {size: 16M}}\n")
    r = confgen("generate", "--inventory", inv, "--request", req, "-o", tmp_path / "out")
    assert r.returncode == 0, r.stderr
    assert confgen("check", tmp_path / "out" / "system.yaml").returncode == 0


def test_generate_refuses_a_bad_inventory_and_writes_nothing(confgen, tmp_path):
    inv = tmp_path / "inv.yaml"
    inv.write_text("format: jailconf-inventory/1\ncpus:\n  - id: 0\n    colour: red\n")
    r = confgen("generate", "--inventory", inv, "-o", tmp_path / "out")
    assert r.returncode == 1
    assert "line 4" in r.stderr and "colour" in r.stderr
    assert not (tmp_path / "out").exists()


def test_generate_hv_memory_options(confgen, repo, tmp_path):
    inv = tmp_path / "inv.yaml"
    assert confgen("scan", "--dtb", repo / "tests/fixtures/fdt/qemu-virt-gicv3.dtb", "-o", inv).returncode == 0
    r = confgen("generate", "--inventory", inv, "--hv-memory", "32M", "--hv-memory-at", "0x7c000000", "-o", tmp_path)
    assert r.returncode == 0, r.stderr
    text = (tmp_path / "system.yaml").read_text()
    assert "0x7c000000" in text
    assert confgen("generate", "--inventory", inv, "--hv-memory", "lots", "-o", tmp_path).returncode == 2
    r = confgen("generate", "--inventory", inv, "--hv-memory-at", "0x1000", "-o", tmp_path / "x")
    assert r.returncode == 1 and "RAM" in r.stderr


def test_scan_of_the_arm64_pci_capture(confgen, repo, tmp_path):
    """The QEMU arm64 capture (capture-qemu-arm64.sh): sysfs PCI and the collected device tree
    are merged; what Linux reported there is what the inventory says."""
    out = tmp_path / "inv.json"
    result = confgen("scan", "--root", repo / "tests/fixtures/machines/qemu-arm64-pci", "-o", out)
    assert result.returncode == 0, result.stderr
    inv = json.loads(out.read_text())
    pci = {"%02x:%02x.%x" % (f["bus"], f["device"], f["function"]): f for f in inv["pci"]}
    assert len(pci) == 14
    # INTx users, MSI-X and MSI as the config spaces say.
    assert pci["00:04.0"]["intx_pin"] == 1 and "msix" not in pci["00:04.0"]
    assert "msix" in pci["00:01.0"] and "msi" in pci["00:04.1"]
    # Bridges: the root ports carry an ACS capability (not enabled), the PCI-PCI bridge none.
    assert pci["00:05.0"]["acs"]["capabilities"] and "acs" not in pci["00:07.0"]
    assert pci["03:01.0"]["parent"] == "0000:00:07.0"
    # IOMMU groups from the links; the functions behind the PCI-PCI bridge have none.
    assert pci["00:04.0"]["iommu_group"] == pci["00:04.1"]["iommu_group"]
    assert pci["01:00.0"]["iommu_group"] == pci["00:05.0"]["iommu_group"]
    assert "iommu_group" not in pci["03:01.0"]
    # The device tree part: INTx routing of the host bridge, the SMMU's id map, the ITS.
    (host,) = inv["pci_hosts"]
    assert {(r["device"], r["pin"]): r["irq"]["id"] for r in host["intx_routes"]}[(4, 1)] == 35
    (smmu,) = inv["iommus"]
    assert smmu["type"] == "smmuv3" and smmu["id_maps"][0]["count"] == 65536
    assert inv["gic"]["its"]
