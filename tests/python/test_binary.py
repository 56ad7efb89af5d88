"""compile/decompile: round trips byte-identical, blob API, corrupted input raises DecodeError."""

import pytest

import pyjailconf


def test_compile_returns_system_blob(qemu_virt):
    data = qemu_virt.compile()
    assert isinstance(data, bytes)
    assert data[:4] == b"JCFG"
    blobs = qemu_virt.compile_all()
    assert [(b.kind, b.cell_name) for b in blobs] == [("system", "root"), ("cell", "rt")]
    assert blobs[0].data == data and bytes(blobs[0]) == data and len(blobs[0]) == len(data)
    assert "Blob(kind='cell', cell_name='rt'" in repr(blobs[1])


def test_roundtrip_byte_identical(qemu_virt):
    blobs = [b.data for b in qemu_virt.compile_all()]
    system = pyjailconf.decompile(blobs)
    assert system == qemu_virt
    assert [b.data for b in system.compile_all()] == blobs


def test_roundtrip_split_example(repo):
    s = pyjailconf.load(repo / "examples/split/system.yaml")
    blobs = [b.data for b in s.compile_all()]
    assert [b.data for b in pyjailconf.decompile(blobs).compile_all()] == blobs


def test_roundtrip_every_good_fixture(repo):
    for path in sorted((repo / "tests/fixtures/rules").glob("*/good.yaml")):
        s = pyjailconf.load(path)
        if any(d.is_error for d in s.check()):
            continue
        blobs = [b.data for b in s.compile_all()]
        again = pyjailconf.decompile(blobs)
        assert [b.data for b in again.compile_all()] == blobs, path


def test_decompile_system_blob_only(qemu_virt):
    s = pyjailconf.decompile(qemu_virt.compile())
    assert [c.name for c in s.cells] == ["root"]
    assert s.links == qemu_virt.links


def test_corrupted_bytes_raise_decode_error(qemu_virt):
    data = bytearray(qemu_virt.compile())
    data[40] ^= 0xff
    with pytest.raises(pyjailconf.DecodeError) as info:
        pyjailconf.decompile(bytes(data), name="sys.jcb")
    assert "sys.jcb" in str(info.value)


@pytest.mark.parametrize("data", [b"", b"JCFG", b"\0" * 64, b"not a blob at all" * 10])
def test_garbage_raises_decode_error(data):
    with pytest.raises(pyjailconf.DecodeError):
        pyjailconf.decompile(data)


def test_every_truncation_is_rejected_cleanly(qemu_virt):
    data = qemu_virt.compile()
    for n in range(0, len(data), 7):
        with pytest.raises(pyjailconf.DecodeError):
            pyjailconf.decompile(data[:n])


def test_cell_blob_without_system_blob(qemu_virt):
    blobs = [b.data for b in qemu_virt.compile_all()]
    with pytest.raises(pyjailconf.DecodeError):
        pyjailconf.decompile([blobs[1]])


def test_decompile_argument_errors(qemu_virt):
    with pytest.raises(ValueError):
        pyjailconf.decompile([])
    with pytest.raises(ValueError):
        pyjailconf.decompile([qemu_virt.compile()], names=["a", "b"])
    with pytest.raises(TypeError):
        pyjailconf.decompile(42)


def test_compile_refuses_errors(qemu_virt):
    qemu_virt.cells[1].memory.append(
        pyjailconf.MemoryRegion(name="x", phys=0x40000000, size=0x1000, flags=["read"]))
    with pytest.raises(pyjailconf.CompileError) as info:
        qemu_virt.compile()
    assert [d.rule for d in info.value.diagnostics] == ["JC-MEM-CELL-OVERLAP"]
    assert "[JC-MEM-CELL-OVERLAP]" in str(info.value)
    with pytest.raises(pyjailconf.JailconfError):
        qemu_virt.compile_all()


def test_to_yaml_roundtrip(qemu_virt, repo):
    text = qemu_virt.to_yaml()
    assert text.startswith("format: jailconf/1")
    again = pyjailconf.loads(text)
    assert again == qemu_virt
    assert again.to_yaml() == text
    assert pyjailconf.to_yaml(qemu_virt) == text
    split = pyjailconf.load(repo / "examples/split/system.yaml")
    assert pyjailconf.loads(split.to_yaml()) == split


def test_decompiled_yaml_loads(qemu_virt):
    s = pyjailconf.decompile([b.data for b in qemu_virt.compile_all()])
    assert pyjailconf.loads(s.to_yaml()) == qemu_virt
