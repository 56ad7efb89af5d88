"""pyjailconf.plan / generate(request=) / explain on QEMU virt (examples/request.yaml) and real
boards: the same files as `confgen generate --request`, provenance, JC-PLAN-* errors as
PlanError with the request's locations, explain as `confgen explain`."""

import concurrent.futures
import json

import pytest

import pyjailconf

from conftest import REPO

VIRT_DTB = REPO / "tests/fixtures/fdt/qemu-virt-gicv3.dtb"
REQUEST = REPO / "examples/request.yaml"


@pytest.fixture(scope="module")
def virt(tmp_path_factory):
    """The QEMU virt inventory, scanned by pyjailconf, and the file it was saved to."""
    inv = pyjailconf.scan(dtb=VIRT_DTB)
    path = tmp_path_factory.mktemp("virt") / "inv.yaml"
    inv.save(path)
    return inv, path


def test_example_request(virt):
    inv, _ = virt
    plan = pyjailconf.plan(inv, REQUEST)
    assert isinstance(plan, pyjailconf.Plan)
    system = plan.system
    assert [c.name for c in system.cells] == ["root", "rt", "worker"]
    rt = system.find_cell("rt")
    assert [(r.first, r.last) for r in rt.cpus] == [(3, 3)]
    assert rt.watchdog.timeout_ms == 100
    assert any(r.phys == 0x9010000 for r in rt.memory)  # the PL031 RTC
    assert [l.name for l in system.links] == ["ping"]
    assert any("no free UART" in n for n in plan.notes)
    assert pyjailconf.check(system) == []
    assert len(system.compile_all()) == 3
    # provenance: rt's CPU was requested at examples/request.yaml:10:11, from the inventory
    cpu = [p for p in plan.provenance if p.cell == "rt" and p.key.startswith("cpu")]
    assert cpu and cpu[0].request == f"{REQUEST}:10:11"
    rtc = [p for p in plan.provenance if p.cell == "rt" and "pl031" in p.fact]
    assert rtc and rtc[0].source == "inventory" and "qemu-virt-gicv3.dtb" in rtc[0].fact
    assert "Plan(cells=['root', 'rt', 'worker']" in repr(plan)


def test_same_files_as_the_cli(virt, confgen, tmp_path):
    inv, inv_path = virt
    out = tmp_path / "out"
    r = confgen("generate", "--inventory", inv_path, "--request", REQUEST, "-o", out)
    assert r.returncode == 0, r.stderr
    plan = pyjailconf.plan(inv_path, REQUEST)
    files = plan.files()
    on_disk = {p.relative_to(out).as_posix(): p.read_text() for p in out.rglob("*") if p.is_file()}
    assert files == on_disk
    # the files load to the planned system
    (tmp_path / "py").mkdir()
    for name, text in files.items():
        (tmp_path / "py" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "py" / name).write_text(text)
    assert pyjailconf.load(tmp_path / "py/system.yaml") == plan.system
    # generate(request=) is the plan's system; the Inventory object plans the same
    assert pyjailconf.generate(inv, request=REQUEST) == plan.system
    assert pyjailconf.plan(inv, REQUEST).system == plan.system


def test_request_as_text_and_hv_options(virt):
    inv, _ = virt
    text = "format: jailconf/1\ncells:\n  - {name: rt, cpus: [2], memory: {size: 16M}}\n"
    plan = pyjailconf.plan(inv, request_text=text, request_name="req.yaml", hv_memory=32 << 20)
    assert plan.system.hypervisor.memory_size == 32 << 20
    assert [(r.first, r.last) for r in plan.system.find_cell("rt").cpus] == [(2, 2)]
    assert [p.request for p in plan.provenance if p.cell == "rt" and p.key == "cpu 2"] == \
        ["req.yaml:3:22"]  # the `[2]` after "cpus: "
    assert plan.request_name == "req.yaml"
    with pytest.raises(ValueError):
        pyjailconf.plan(inv)
    with pytest.raises(ValueError):
        pyjailconf.plan(inv, REQUEST, request_text=text)


@pytest.mark.parametrize("board", ["zynqmp-zcu102-rev1.0.dtb", "imx8mp-evk.dtb", "juno-r2.dtb"])
def test_boards(board):
    inv = pyjailconf.scan(dtb=REPO / "tests/fixtures/fdt" / board)
    text = ("format: jailconf/1\ncells:\n  - {name: rt, cpus: 2, memory: {size: 256M},"
            " console: auto, watchdog: {timeout_ms: 20}}\n"
            "  - {name: w, cpus: [1], memory: [{size: 32M}, {size: 1M, align: 64K}]}\n"
            "links:\n  - {name: ping, peers: [root, rt, w], doorbell_irq: auto}\n")
    plan = pyjailconf.plan(inv, request_text=text)
    assert [c.name for c in plan.system.cells] == ["root", "rt", "w"]
    assert not [d for d in pyjailconf.check(plan.system) if d.is_error]
    assert plan.system.compile()


IMPOSSIBLE = ("format: jailconf/1\ncells:\n  - {name: worker, cpus: 1, memory: {size: 4M}}\n"
              "  - name: rt\n    cpus: 4\n    memory: {size: 4M}\n")


def test_impossible_request_raises_plan_error(virt, confgen, tmp_path):
    inv, inv_path = virt
    req = tmp_path / "req.yaml"
    req.write_text(IMPOSSIBLE)
    with pytest.raises(pyjailconf.PlanError) as info:
        pyjailconf.plan(inv, req)
    e = info.value
    assert isinstance(e, pyjailconf.GenerateError) and isinstance(e, pyjailconf.JailconfError)
    errors = [d for d in e.diagnostics if d.is_error]
    assert [(d.rule, d.file, d.line, d.column) for d in errors] == \
        [("JC-PLAN-CPU", str(req), 5, 11)]
    assert "2 are free after root keeps CPU 0 (platform has 4, worker took 1)" in errors[0].message
    assert errors[0].fix and e.fix == errors[0].fix
    assert str(e).startswith(f"{req}:5:11: error: [JC-PLAN-CPU]")
    r = confgen("generate", "--inventory", inv_path, "--request", req, "-o", tmp_path / "out")
    assert r.returncode == 1
    assert pyjailconf.format_diagnostics(e.diagnostics) in r.stderr


def test_invalid_and_missing_requests(virt, tmp_path):
    inv, _ = virt
    with pytest.raises(pyjailconf.PlanError) as info:
        pyjailconf.plan(inv, request_text="format: jailconf/1\ncells:\n  - {name: rt, cpus: 1,"
                        " memory: {size: 4M}, devics: []}\n", request_name="r.yaml")
    d = info.value.diagnostics[0]
    assert d.rule == "JC-SCHEMA-UNKNOWN-KEY" and d.file == "r.yaml" and d.line == 3
    assert "did you mean 'devices'" in d.message + d.fix
    with pytest.raises(pyjailconf.PlanError) as info:
        pyjailconf.plan(inv, request_text=(
            "format: jailconf/1\ncells:\n"
            "  - {name: a, cpus: 1, memory: {size: 4M}, devices: [{compatible: \"arm,pl031\"}]}\n"
            "  - {name: b, cpus: 1, memory: {size: 4M}, devices: [{path: /pl031@9010000}]}\n"))
    assert "already given to cell a" in str(info.value)
    with pytest.raises(FileNotFoundError):
        pyjailconf.plan(inv, tmp_path / "none.yaml")
    with pytest.raises(FileNotFoundError):
        pyjailconf.plan(tmp_path / "none-inv.yaml", REQUEST)
    with pytest.raises(pyjailconf.PlanError):
        pyjailconf.plan(inv, request_text=": not yaml [")


def summary(items):
    return [(x.cell, x.kind, x.key, x.what, x.location, x.begin, x.end, x.id,
             x.provenance and (x.provenance.source, x.provenance.fact, x.provenance.request,
                               x.provenance.rule)) for x in items]


def test_explain_a_plan_and_its_files(virt, confgen, tmp_path):
    inv, inv_path = virt
    plan = pyjailconf.plan(inv_path, REQUEST)
    items = pyjailconf.explain(plan)
    assert items and all(isinstance(x, pyjailconf.Explained) for x in items)
    assert {x.cell for x in items} >= {"root", "rt", "worker"}
    rtc = [x for x in items if x.cell == "rt" and x.begin == 0x9010000]
    assert rtc and rtc[0].provenance.source == "inventory"
    assert summary(plan.explain("rt.memory")) == summary(pyjailconf.explain(plan, "rt.memory"))
    assert all(x.cell == "rt" and x.kind == "memory" for x in plan.explain("rt.memory"))
    with pytest.raises(ValueError):
        plan.explain("nosuch")

    # explain of the written files = confgen explain (provenance.yaml beside system.yaml)
    out = tmp_path / "out"
    assert confgen("generate", "--inventory", inv_path, "--request", REQUEST, "-o",
                   out).returncode == 0
    for resource in (None, "rt.memory", "irq:34", "links"):
        args = ["explain", out / "system.yaml", "--format", "json"]
        if resource:
            args += ["--resource", resource]
        r = confgen(*args)
        assert r.returncode == 0, r.stderr
        items = pyjailconf.explain(out / "system.yaml", resource)
        assert json.loads(pyjailconf.format_explanation(items, "json")) == json.loads(r.stdout)
        assert items and all(x.provenance is not None for x in items)
    text = pyjailconf.format_explanation(pyjailconf.explain(out / "system.yaml", "irq:34"))
    assert "interrupt 34" in text
    # the provenance of a System given explicitly
    system = pyjailconf.load(out / "system.yaml")
    assert summary(pyjailconf.explain(system, provenance=out / "provenance.yaml")) == \
        summary(pyjailconf.explain(out / "system.yaml"))
    assert all(x.provenance is None for x in pyjailconf.explain(system))
    explained = pyjailconf.explain(system, "rt", provenance=pyjailconf.load_provenance(
        out / "provenance.yaml"))
    assert explained and all(x.provenance is not None for x in explained)


def test_explain_a_hand_written_file(repo, confgen):
    path = repo / "examples/qemu-virt.yaml"
    items = pyjailconf.explain(path, "rt")
    assert all(x.provenance is None for x in items)
    # rt's own resources, and the links it is a peer of
    assert {x.cell for x in items} == {"rt", "links"} and items[0].cell == "rt"
    assert all(x.location[0] == str(path) and x.location[1] > 0 for x in items)
    r = confgen("explain", path, "--resource", "rt", "--format", "json")
    assert json.loads(pyjailconf.format_explanation(items, "json", have_provenance=False)) == \
        json.loads(r.stdout)
    with pytest.raises(FileNotFoundError):
        pyjailconf.explain(repo / "examples/does-not-exist.yaml")


def test_plans_in_threads(virt):
    inv, inv_path = virt

    def work(_):
        plan = pyjailconf.plan(inv_path, REQUEST)
        return plan.files()

    serial = work(0)
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(work, range(6))) == [serial] * 6
