"""generate --request and explain as a user runs them: QEMU virt with examples/request.yaml and
real boards; outputs pass check and compile, are deterministic, failures write nothing, and
explain names the origins."""
import json

import pytest

VIRT = "tests/fixtures/fdt/qemu-virt-gicv3.dtb"
REQUEST = "examples/request.yaml"


@pytest.fixture
def virt_inventory(confgen, repo, tmp_path):
    inv = tmp_path / "inv.yaml"
    r = confgen("scan", "--dtb", repo / VIRT, "-o", inv)
    assert r.returncode == 0, r.stderr
    return inv


def plan(confgen, repo, inv, request, out):
    return confgen("generate", "--inventory", inv, "--request", request, "-o", out, cwd=repo)


def test_help_describes_the_request_and_explain(confgen):
    r = confgen("generate", "--help")
    assert r.returncode == 0 and "--request" in r.stdout and "provenance.yaml" in r.stdout
    r = confgen("explain", "--help")
    assert r.returncode == 0 and "--resource" in r.stdout and "--format" in r.stdout


def test_example_request_on_qemu_virt(confgen, repo, virt_inventory, tmp_path):
    out = tmp_path / "out"
    r = plan(confgen, repo, virt_inventory, REQUEST, out)
    assert r.returncode == 0, r.stderr
    assert "no free UART" in r.stderr  # console auto does not take the hypervisor's UART
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert files == ["cells/rt.yaml", "cells/worker.yaml", "provenance.yaml", "system.yaml"]
    system = (out / "system.yaml").read_text()
    assert "include: [cells/rt.yaml, cells/worker.yaml]" in system
    # The cell files are checked through system.yaml's include: (alone they lack the platform).
    c = confgen("check", out / "system.yaml")
    assert c.returncode == 0, c.stderr
    assert "3 cells, 1 link" in c.stderr + c.stdout
    c = confgen("compile", out / "system.yaml", "-o", tmp_path / "system.jcb")
    assert c.returncode == 0, c.stderr
    assert (tmp_path / "system.jcb").stat().st_size > 0
    rt = (out / "cells/rt.yaml").read_text()
    assert "cpus: [3]" in rt and "0x9010000" in rt and "comm_region" in rt
    assert "timeout_ms: 100" in rt


def test_same_input_same_bytes(confgen, repo, virt_inventory, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert plan(confgen, repo, virt_inventory, REQUEST, a).returncode == 0
    assert plan(confgen, repo, virt_inventory, REQUEST, b).returncode == 0
    for f in ("system.yaml", "cells/rt.yaml", "cells/worker.yaml", "provenance.yaml"):
        assert (a / f).read_bytes() == (b / f).read_bytes(), f


@pytest.mark.parametrize("board", ["zynqmp-zcu102-rev1.0.dtb", "imx8mp-evk.dtb", "juno-r2.dtb"])
def test_boards_plan_and_check(confgen, repo, tmp_path, board):
    inv = tmp_path / "inv.yaml"
    assert confgen("scan", "--dtb", repo / "tests/fixtures/fdt" / board, "-o", inv).returncode == 0
    req = tmp_path / "req.yaml"
    req.write_text("format: jailconf/1\ncells:\n  - {name: rt, cpus: 2, memory: {size: 256M},"
                   " console: auto, watchdog: {timeout_ms: 20}}\n"
                   "  - {name: w, cpus: [1], memory: [{size: 32M}, {size: 1M, align: 64K}]}\n"
                   "links:\n  - {name: ping, peers: [root, rt, w], doorbell_irq: auto}\n")
    out = tmp_path / "out"
    r = plan(confgen, repo, inv, req, out)
    assert r.returncode == 0, r.stderr
    assert confgen("check", out / "system.yaml").returncode == 0
    assert confgen("compile", out / "system.yaml", "-o", tmp_path / "s.jcb").returncode == 0


def test_impossible_request_fails_at_its_line_and_writes_nothing(confgen, repo, virt_inventory,
                                                                  tmp_path):
    req = tmp_path / "req.yaml"
    req.write_text("format: jailconf/1\ncells:\n  - {name: worker, cpus: 1, memory: {size: 4M}}\n"
                   "  - name: rt\n    cpus: 4\n    memory: {size: 4M}\n")
    out = tmp_path / "out"
    r = plan(confgen, repo, virt_inventory, req, out)
    assert r.returncode == 1
    assert f"{req}:5:11: error: [JC-PLAN-CPU]" in r.stderr
    assert "2 are free after root keeps CPU 0 (platform has 4, worker took 1)" in r.stderr
    assert "nothing written" in r.stderr
    assert not out.exists()


def test_unknown_key_and_missing_request(confgen, repo, virt_inventory, tmp_path):
    req = tmp_path / "req.yaml"
    req.write_text("format: jailconf/1\ncells:\n  - {name: rt, cpus: 1, memory: {size: 4M},"
                   " devics: []}\n")
    r = plan(confgen, repo, virt_inventory, req, tmp_path / "out")
    assert r.returncode == 1
    assert "JC-SCHEMA-UNKNOWN-KEY" in r.stderr and "did you mean 'devices'" in r.stderr
    assert f"{req}:3:" in r.stderr
    r = plan(confgen, repo, virt_inventory, tmp_path / "none.yaml", tmp_path / "out")
    assert r.returncode == 3


def test_device_taken_twice(confgen, repo, virt_inventory, tmp_path):
    req = tmp_path / "req.yaml"
    req.write_text("format: jailconf/1\ncells:\n"
                   "  - {name: a, cpus: 1, memory: {size: 4M}, devices: [{compatible: \"arm,pl031\"}]}\n"
                   "  - {name: b, cpus: 1, memory: {size: 4M}, devices: [{path: /pl031@9010000}]}\n")
    r = plan(confgen, repo, virt_inventory, req, tmp_path / "out")
    assert r.returncode == 1
    assert "already given to cell a" in r.stderr


def test_explain_names_origins(confgen, repo, virt_inventory, tmp_path):
    out = tmp_path / "out"
    assert plan(confgen, repo, virt_inventory, REQUEST, out).returncode == 0
    r = confgen("explain", out / "system.yaml")
    assert r.returncode == 0, r.stderr
    assert "cell rt:" in r.stdout and "cell worker:" in r.stdout and "links:" in r.stdout
    assert "qemu-virt-gicv3.dtb:/pl031@9010000" in r.stdout  # scanned fact with its origin
    assert "examples/request.yaml:10:11" in r.stdout          # rt's cpus line
    assert "written by hand" not in r.stdout
    r = confgen("explain", out / "system.yaml", "--resource", "rt.memory", "--format", "json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["provenance"] is True
    assert doc["resources"] and all(x["cell"] == "rt" and x["kind"] == "memory"
                                    for x in doc["resources"])
    assert all(x["file"].endswith("cells/rt.yaml") and x["line"] > 0 for x in doc["resources"])
    r = confgen("explain", out / "system.yaml", "--resource", "irq:34")
    assert r.returncode == 0 and "interrupt 34" in r.stdout
    r = confgen("explain", out / "system.yaml", "--resource", "nosuch")
    assert r.returncode == 2


def test_explain_of_a_hand_written_file(confgen, repo):
    r = confgen("explain", repo / "examples/qemu-virt.yaml", "--resource", "rt")
    assert r.returncode == 0, r.stderr
    assert "written by hand" in r.stdout and "qemu-virt.yaml:" in r.stdout
    r = confgen("explain", repo / "examples/does-not-exist.yaml")
    assert r.returncode == 3
