"""Elements are live views into the model. A change that would move or free an element that a
Python variable still refers to raises RuntimeError; it never leaves a dangling view (which would
crash the interpreter)."""
import gc

import pytest

import pyjailconf


@pytest.fixture
def system(repo):
    return pyjailconf.load(str(repo / "examples/qemu-virt.yaml"))


def test_deleting_a_held_element_is_refused(system):
    rt = system.find_cell("rt")
    held = rt.memory[0]
    with pytest.raises(RuntimeError, match="still refers to"):
        del rt.memory[0]
    assert held.name == "ram"  # the view is still valid
    del held
    gc.collect()
    del rt.memory[0]
    assert [r.name for r in rt.memory] == ["comm", "rtc", "gpio"]


def test_clear_pop_insert_with_held_element_are_refused(system):
    mem = system.find_cell("root").memory
    held = mem[2]
    for change in (mem.clear, lambda: mem.pop(), lambda: mem.insert(0, held.copy()),
                   lambda: mem.extend([held.copy()])):
        with pytest.raises(RuntimeError):
            change()
    assert len(mem) == 7 and held.name == "uart0"


def test_growing_a_list_while_an_element_is_held(system):
    mem = system.find_cell("root").memory
    held = mem[0]
    extra = [pyjailconf.MemoryRegion(phys=0x50000000 + i * 0x1000, size=0x1000,
                                      flags=["read"]) for i in range(64)]
    with pytest.raises(RuntimeError):
        for r in extra:  # some append must grow past the capacity
            mem.append(r)
    assert held.name == "ram"


def test_nested_views_are_protected(system):
    bar_holder = system.find_cell("root").pci_devices[0]
    with pytest.raises(RuntimeError):
        del system.cells[0]
    with pytest.raises(RuntimeError):
        system.cells = []
    assert bar_holder.bdf == "00:00.0"


def test_replacing_lists_and_platform_with_views_alive(system):
    cpu = system.platform.cpus[0]
    with pytest.raises(RuntimeError):
        system.platform = pyjailconf.Platform(name="other")
    with pytest.raises(RuntimeError):
        system.platform.cpus = []
    assert cpu.id == 0
    del cpu
    gc.collect()
    system.platform.cpus = []
    assert len(system.platform.cpus) == 0


def test_copies_are_independent(system):
    rt = system.find_cell("rt")
    kept = rt.memory[0].copy()
    del rt.memory[0]
    assert kept.name == "ram"
    rt.memory.append(kept)
    assert rt.memory[-1] == kept
