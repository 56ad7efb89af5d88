"""load/loads: the examples, the model attributes, and load errors with rule and location."""

import pytest

import pyjailconf

# (fixture under tests/fixtures/load, rule, line, column, part of the message); as the C++ tests.
LOAD_ERRORS = [
    ("syntax-error.yaml", "JC-YAML-SYNTAX", 6, 11, "illegal map value"),
    ("unknown-key.yaml", "JC-SCHEMA-UNKNOWN-KEY", 10, 5, "did you mean 'memory'"),
    ("wrong-type.yaml", "JC-SCHEMA-TYPE", 5, 18, "'phys'"),
    ("bad-suffix.yaml", "JC-SCHEMA-VALUE", 5, 36, "'64Q'"),
    ("size-overflow.yaml", "JC-NUMBER", 5, 36, "does not fit in 64 bits"),
    ("hex-overflow.yaml", "JC-NUMBER", 5, 18, "does not fit in 64 bits"),
    ("reversed-range.yaml", "JC-SCHEMA-VALUE", 7, 51, "reversed"),
    ("bad-enum.yaml", "JC-SCHEMA-VALUE", 6, 19, "'pl012'"),
    ("missing-required.yaml", "JC-SCHEMA-REQUIRED", 5, 11, "'size'"),
    ("no-format.yaml", "JC-FORMAT", 1, 1, "no `format:`"),
    ("future-format.yaml", "JC-FORMAT", 1, 9, "jailconf/2"),
    ("duplicate-key.yaml", "JC-YAML-SYNTAX", 3, 1, "duplicate key 'arch'"),
    ("bad-bdf.yaml", "JC-SCHEMA-VALUE", 11, 15, "'00:20.0'"),
    ("empty.yaml", "JC-FILE-EMPTY", 1, 1, "empty"),
    ("blank.yaml", "JC-FILE-EMPTY", 1, 1, "empty"),
    ("garbage.yaml", "JC-INPUT-NOT-TEXT", 1, 6, "NUL"),
    ("alias-bomb.yaml", "JC-YAML-SYNTAX", 0, 0, "2 million nodes"),
    ("include-missing.yaml", "JC-INCLUDE-MISSING", 2, 11, "does-not-exist.yaml"),
    ("include-platform.yaml", "JC-INCLUDE-CONTENT", 2, 1, "'platform'"),
    ("include-cycle/system.yaml", "JC-INCLUDE-CYCLE", 2, 11, "includes itself"),
]


def test_every_load_fixture_is_covered(repo):
    files = {str(p.relative_to(repo / "tests/fixtures/load"))
             for p in (repo / "tests/fixtures/load").glob("*.yaml")}
    files.add("include-cycle/system.yaml")
    assert files == {case[0] for case in LOAD_ERRORS}


@pytest.mark.parametrize("name,rule,line,column,part", LOAD_ERRORS,
                         ids=[c[0] for c in LOAD_ERRORS])
def test_load_error(repo, name, rule, line, column, part):
    path = repo / "tests/fixtures/load" / name
    with pytest.raises(pyjailconf.LoadError) as info:
        pyjailconf.load(path)
    diags = info.value.diagnostics
    assert len(diags) == 1
    d = diags[0]
    assert (d.rule, d.severity) == (rule, "error")
    assert part in d.message
    assert d.fix
    if line:
        assert (d.line, d.column) == (line, column)
        assert str(info.value) == f"{d.file}:{line}:{column}: error: [{rule}] {d.message}"
        assert d.file.endswith(".yaml")
    assert f"[{rule}]" in str(info.value)
    # check() reports the same diagnostics instead of raising
    assert pyjailconf.check(path) == diags


def test_load_error_is_a_jailconf_error(repo):
    with pytest.raises(pyjailconf.JailconfError):
        pyjailconf.load(repo / "tests/fixtures/load/empty.yaml")


def test_missing_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        pyjailconf.load(tmp_path / "nope.yaml")
    assert "nope.yaml" in str(info.value)
    with pytest.raises(FileNotFoundError):
        pyjailconf.check(str(tmp_path / "nope.yaml"))


def test_directory_raises_os_error(tmp_path):
    with pytest.raises(OSError):
        pyjailconf.load(tmp_path)


def test_load_accepts_str_and_pathlike(repo):
    a = pyjailconf.load(str(repo / "examples/qemu-virt.yaml"))
    b = pyjailconf.load(repo / "examples/qemu-virt.yaml")
    assert a == b


def test_qemu_virt_attributes(qemu_virt):
    s = qemu_virt
    assert s.arch == "arm64"
    assert s.platform.name == "qemu-virt"
    assert len(s.platform.cpus) == 4
    assert [c.id for c in s.platform.cpus] == [0, 1, 2, 3]
    ic = s.platform.irqchip
    assert (ic.type, ic.gicd, ic.gicr, ic.gicr_stride, ic.gicc) == (
        "gicv3", 0x08000000, 0x080a0000, 0x20000, None)
    pci = s.platform.pci
    assert (pci.ecam, pci.ecam_size, pci.bus_start, pci.bus_end, pci.segment) == (
        0x4010000000, 256 << 20, 0, 255, 0)
    assert (s.hypervisor.memory_phys, s.hypervisor.memory_size) == (0x7c000000, 64 << 20)
    assert (s.hypervisor.console.type, s.hypervisor.console.base) == ("pl011", 0x09000000)

    assert [c.name for c in s.cells] == ["root", "rt"]
    root, rt = s.cells
    assert root.root and not rt.root
    assert s.root_cell() == root
    assert s.find_cell("rt") == rt and s.find_cell("nope") is None
    assert [(r.first, r.last) for r in root.cpus] == [(0, 2)]
    assert [(r.first, r.last) for r in root.irqs] == [(33, 33), (35, 38), (48, 79)]
    ram = root.memory[0]
    assert (ram.name, ram.phys, ram.virt, ram.size) == ("ram", 0x40000000, 0x40000000, 896 << 20)
    assert ram.flags == ["read", "write", "execute", "dma"]
    assert [r.name for r in root.memory] == ["ram", "flash", "uart0", "fw-cfg", "virtio-mmio",
                                            "pcie-mmio", "pcie-pio"]
    assert root.pci_devices[0].bdf == "00:00.0" and root.pci_devices[0].type == "bridge"
    assert root.console.type == "pl011" and root.watchdog is None

    assert rt.memory[0].virt == 0 and rt.memory[0].phys == 0x79000000
    assert rt.memory[0].flags == ["read", "write", "execute", "loadable"]
    assert rt.find_region("comm").virt == 0x80000000
    assert rt.watchdog.timeout_ms == 100 and rt.console is None

    (link,) = s.links
    assert (link.name, link.peers, link.phys, link.virt, link.size, link.doorbell_irq) == (
        "ping", ["root", "rt"], 0x78000000, 0x78000000, 64 << 10, 140)


def test_locations(qemu_virt, repo):
    root = qemu_virt.cells[0]
    file, line, column = root.location
    assert file.endswith("qemu-virt.yaml") and line > 0 and column > 0
    assert root.memory[0].location[1] > line
    assert pyjailconf.MemoryRegion().location is None


def test_split_example(repo):
    s = pyjailconf.load(repo / "examples/split/system.yaml")
    assert [c.name for c in s.cells] == ["root", "rt"]
    rt = s.find_cell("rt")
    assert rt.location[0].endswith("rt.yaml")
    assert pyjailconf.check(s) == []


def test_loads(repo):
    text = (repo / "examples/qemu-virt.yaml").read_text()
    s = pyjailconf.loads(text)
    assert s == pyjailconf.load(repo / "examples/qemu-virt.yaml")
    assert s.cells[0].location[0] == "<string>"
    assert pyjailconf.loads(text, name="x.yaml").cells[0].location[0] == "x.yaml"


def test_loads_error_location():
    with pytest.raises(pyjailconf.LoadError) as info:
        pyjailconf.loads("format: jailconf/1\narch: [\n", name="inline.yaml")
    assert str(info.value).startswith("inline.yaml:")
    assert info.value.diagnostics[0].rule == "JC-YAML-SYNTAX"
