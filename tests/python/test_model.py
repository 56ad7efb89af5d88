"""The model as Python objects: attribute access and mutation, lists, optionals, enums as
strings, constructors, __repr__, __eq__, copies."""

import copy

import pytest

import pyjailconf


def rules_of(system):
    return [d.rule for d in pyjailconf.check(system) if d.is_error]


def test_move_rtc_to_root_stays_valid(qemu_virt):
    rt = qemu_virt.find_cell("rt")
    root = qemu_virt.root_cell()
    rtc = rt.find_region("rtc").copy()
    del rt.memory[[r.name for r in rt.memory].index("rtc")]
    root.memory.append(rtc)
    assert root.memory[-1] == rtc
    assert rt.find_region("rtc") is None
    assert rules_of(qemu_virt) == []


def test_overlapping_region_reports_cell_overlap(qemu_virt):
    rt = qemu_virt.find_cell("rt")
    rt.memory.append(pyjailconf.MemoryRegion(name="steal", phys=0x40001000, size=0x1000,
                                             flags=["read", "write"]))
    assert rules_of(qemu_virt) == ["JC-MEM-CELL-OVERLAP"]


def test_in_place_attribute_mutation(qemu_virt):
    qemu_virt.cells[1].memory[0].size = 0x2000000
    assert qemu_virt.cells[1].memory[0].size == 0x2000000
    qemu_virt.cells[1].name = "realtime"
    assert qemu_virt.find_cell("realtime") is not None
    # the link now names a missing peer
    assert "JC-LINK-PEER" in rules_of(qemu_virt)
    qemu_virt.links[0].peers = ["root", "realtime"]
    assert rules_of(qemu_virt) == []


def test_optional_sub_objects(qemu_virt):
    root = qemu_virt.root_cell()
    root.console.base = 0x09000000
    assert root.console.base == 0x09000000
    rt = qemu_virt.find_cell("rt")
    rt.watchdog.timeout_ms = 250
    assert rt.watchdog.timeout_ms == 250
    rt.watchdog = None
    assert rt.watchdog is None
    rt.watchdog = pyjailconf.Watchdog(timeout_ms=10)
    assert rt.watchdog == pyjailconf.Watchdog(timeout_ms=10)
    qemu_virt.platform.irqchip.gicc = 0x1000
    assert qemu_virt.platform.irqchip.gicc == 0x1000
    qemu_virt.platform.irqchip.gicc = None
    assert qemu_virt.platform.irqchip.gicc is None


def test_enums_are_strings(qemu_virt):
    qemu_virt.root_cell().console.type = "ns16550"
    assert qemu_virt.root_cell().console.type == "ns16550"
    with pytest.raises(ValueError):
        qemu_virt.root_cell().console.type = "pl012"
    with pytest.raises(ValueError):
        qemu_virt.arch = "mips"
    qemu_virt.arch = "x86_64"
    assert qemu_virt.arch == "x86_64"


def test_memory_flags():
    r = pyjailconf.MemoryRegion(name="r", phys=0x1000, size=0x1000, flags=["write", "read"])
    assert r.flags == ["read", "write"]
    assert r.flag_bits != 0
    r.flag_bits = 0
    assert r.flags == []
    with pytest.raises(ValueError):
        r.flags = ["read", "fly"]
    with pytest.raises(ValueError):
        r.flag_bits = 1 << 31


def test_keyword_constructors():
    r = pyjailconf.MemoryRegion(name="a", phys=0x2000, size=0x1000)
    assert r.virt == 0x2000 and r.end == 0x3000
    assert pyjailconf.MemoryRegion(phys=0x2000, virt=0, size=1).virt == 0
    ids = pyjailconf.IdRange(first=3, last=5)
    assert list(ids) == [3, 4, 5] and 4 in ids and 6 not in ids and len(ids) == 3
    link = pyjailconf.Link(name="l", peers=["a", "b"], phys=0x1000, size=0x1000)
    assert link.virt == 0x1000 and link.doorbell_irq is None
    dev = pyjailconf.PciDevice(bdf="01:02.3", type="device")
    assert dev.bdf == "01:02.3" and dev.bdf_packed == (1 << 8 | 2 << 3 | 3)
    with pytest.raises(ValueError):
        pyjailconf.PciDevice(bdf="01:40.0")
    with pytest.raises(AttributeError):
        pyjailconf.MemoryRegion(nmae="typo")
    with pytest.raises(TypeError):
        pyjailconf.MemoryRegion(size="big")
    with pytest.raises(TypeError):
        pyjailconf.MemoryRegion(size=-1)


def test_build_a_system_from_scratch(qemu_virt):
    s = pyjailconf.System(arch="arm64")
    s.platform = pyjailconf.Platform(name="qemu-virt")
    s.platform.cpus = [pyjailconf.PlatformCpu(id=i, hw_id=i) for i in range(4)]
    s.platform.irqchip = qemu_virt.platform.irqchip
    s.platform.pci = qemu_virt.platform.pci
    s.hypervisor = qemu_virt.hypervisor
    s.cells = [c.copy() for c in qemu_virt.cells]
    s.links = list(qemu_virt.links)
    assert s == qemu_virt
    assert pyjailconf.check(s) == []
    assert s.compile() == qemu_virt.compile()


def test_lists_behave_like_lists(qemu_virt):
    mem = qemu_virt.root_cell().memory
    n = len(mem)
    names = [r.name for r in mem]
    assert names[0] == "ram"
    assert mem[-1].name == names[-1]
    popped = mem.pop()
    assert len(mem) == n - 1 and popped.name == names[-1]
    mem.insert(0, popped)
    assert mem[0].name == names[-1]
    mem.extend([pyjailconf.MemoryRegion(name="z", phys=0xf0000000, size=0x1000)])
    assert mem[-1].name == "z"
    with pytest.raises(IndexError):
        mem[100]
    with pytest.raises(TypeError):
        mem.append("not a region")
    assert repr(mem).startswith("[MemoryRegion(name=")


def test_equality(qemu_virt, repo):
    other = pyjailconf.load(repo / "examples/qemu-virt.yaml")
    assert other == qemu_virt and not (other != qemu_virt)
    other.cells[1].memory[1].flags = ["read"]
    assert other != qemu_virt
    assert qemu_virt.cells[0] != qemu_virt.cells[1]
    assert qemu_virt != "a string" and qemu_virt.cells[0] != 3
    assert qemu_virt.cells == pyjailconf.load(repo / "examples/qemu-virt.yaml").cells
    assert qemu_virt.cells[0].cpus == [pyjailconf.IdRange(first=0, last=2)]
    with pytest.raises(TypeError):
        hash(qemu_virt)


def test_copies_are_independent(qemu_virt):
    for dup in (qemu_virt.copy(), copy.copy(qemu_virt), copy.deepcopy(qemu_virt)):
        assert dup == qemu_virt
        dup.cells[0].memory[0].size = 0x1000
        assert dup != qemu_virt
    region = qemu_virt.cells[0].memory[0].copy()
    region.name = "other"
    assert qemu_virt.cells[0].memory[0].name == "ram"


def test_repr(qemu_virt):
    assert repr(qemu_virt) == ("System(arch='arm64', platform='qemu-virt', cells=['root', 'rt'], "
                               "links=['ping'])")
    assert repr(qemu_virt.cells[0].memory[0]) == (
        "MemoryRegion(name='ram', phys=0x40000000, virt=0x40000000, size=0x38000000, "
        "flags=['read', 'write', 'execute', 'dma'])")
    assert repr(qemu_virt.cells[1]).startswith("Cell(name='rt', root=False, cpus=[3], ")
    assert repr(qemu_virt.links[0]) == ("Link(name='ping', peers=['root', 'rt'], phys=0x78000000, "
                                        "virt=0x78000000, size=0x10000, doorbell_irq=140)")
    for obj in (qemu_virt.platform, qemu_virt.hypervisor, qemu_virt.platform.irqchip,
                qemu_virt.platform.pci, qemu_virt.cells[0].pci_devices[0],
                qemu_virt.cells[0].console, qemu_virt.cells[1].watchdog,
                pyjailconf.PciBar(), pyjailconf.PciCap(), pyjailconf.PciMsi(),
                pyjailconf.PciMsix(), pyjailconf.StreamId(), pyjailconf.PioRange(),
                pyjailconf.Iommu(), pyjailconf.PlatformCpu(), pyjailconf.IdRange()):
        assert repr(obj).startswith(type(obj).__name__ + "(")


def test_pci_device_parts():
    dev = pyjailconf.PciDevice(bdf="0000:00:01.0")
    dev.bars.append(pyjailconf.PciBar(index=0, type="mem64", addr=0x10000000, size=0x4000))
    dev.caps.append(pyjailconf.PciCap(id=0x10, offset=0x40, size=0x3c))
    dev.msix = pyjailconf.PciMsix(vectors=8, table_bar=0, table_offset=0x2000)
    assert dev.bars[0].type == "mem64" and dev.msix.vectors == 8 and dev.msi is None
    with pytest.raises(ValueError):
        dev.bars[0].type = "mem16"
