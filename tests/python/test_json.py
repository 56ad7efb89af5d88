"""JSON load/save of a System: to_json() is the C++ library's JSON view (what `confgen decompile
--format json` writes), load() reads *.json files and loads_json() text back to an equal System,
and broken JSON raises LoadError with the CLI's diagnostics and locations."""

import json

import pytest

import pyjailconf

from conftest import REPO

SYSTEMS = ["examples/qemu-virt.yaml", "examples/x86-q35.yaml", "examples/split/system.yaml"] + \
    sorted(str(p.relative_to(REPO)) for p in (REPO / "tests/fixtures/kb").glob("*/flag.yaml"))


@pytest.mark.parametrize("source", SYSTEMS)
def test_yaml_to_json_to_system_round_trip(source, tmp_path):
    system = pyjailconf.load(REPO / source)
    text = system.to_json()
    assert text == pyjailconf.to_json(system)
    doc = json.loads(text)
    assert doc["format"] == "jailconf/1" and doc["arch"] == system.arch
    again = pyjailconf.loads_json(text)
    assert again == system
    assert again.to_json() == text and again.to_yaml() == system.to_yaml()
    path = tmp_path / "system.json"
    path.write_text(text)
    from_file = pyjailconf.load(path)
    assert from_file == system
    # locations point into the JSON file
    cell = from_file.cells[-1]
    assert cell.location[0] == str(path)
    assert text.splitlines()[cell.location[1] - 1].strip().startswith("{")
    # the same diagnostics as the YAML, at the JSON's lines
    assert [(d.rule, d.message) for d in pyjailconf.check(path)] == \
        [(d.rule, d.message) for d in pyjailconf.check(REPO / source)]


def test_json_has_integers_and_the_yaml_keys(qemu_virt):
    doc = json.loads(qemu_virt.to_json())
    assert list(doc) == ["format", "arch", "platform", "hypervisor", "cells", "links"]
    assert doc["hypervisor"]["memory"] == {"phys": 0x7c000000, "size": 64 << 20}
    rt = next(c for c in doc["cells"] if c["name"] == "rt")
    assert all(isinstance(r["phys"], int) and isinstance(r["flags"], list) for r in rt["memory"])
    assert any(isinstance(i, str) and "-" in i for c in doc["cells"] for i in c.get("irqs", []))


def test_same_bytes_as_confgen_decompile_json(confgen, qemu_virt, tmp_path):
    blobs = qemu_virt.compile_all()
    files = []
    for b in blobs:
        name = "s.jcb" if b.kind == "system" else f"s.{b.cell_name}.jcb"
        (tmp_path / name).write_bytes(b.data)
        files.append(tmp_path / name)
    r = confgen("decompile", "--format", "json", *files)
    assert r.returncode == 0, r.stderr
    assert r.stdout == pyjailconf.decompile([b.data for b in blobs]).to_json()
    # and confgen reads JSON wherever it reads YAML
    path = tmp_path / "system.json"
    path.write_text(qemu_virt.to_json())
    r = confgen("check", "--format", "json", path)
    assert r.returncode == 0, r.stderr
    out = tmp_path / "again.jcb"
    assert confgen("compile", path, "-o", out).returncode == 0
    assert out.read_bytes() == blobs[0].data


BAD = [
    # (text, rule, line, column)
    ('{"format": "jailconf/1",\n "arch": "arm64",\n}\n', "JC-JSON-SYNTAX", 3, 1),
    ('{"format": "jailconf/1", // no comments\n}\n', "JC-JSON-SYNTAX", 1, 26),
    ("format: jailconf/1\n", "JC-JSON-SYNTAX", 1, 2),  # where the parser gave up
    # a whole system with one bad value: the schema error at the value's line and column
    (None, "JC-SCHEMA-VALUE", 3, 11),
]


@pytest.mark.parametrize("text,rule,line,column", BAD)
def test_bad_json_has_the_clis_diagnostics(text, rule, line, column, confgen, tmp_path):
    if text is None:
        text = pyjailconf.load(REPO / "examples/qemu-virt.yaml").to_json().replace(
            '"arch": "arm64"', '"arch": "arm65"')
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(pyjailconf.LoadError) as e:
        pyjailconf.load(path)
    d = e.value.diagnostics[0]
    assert (d.rule, d.file, d.line, d.column) == (rule, str(path), line, column), d
    assert str(e.value).startswith(f"{path}:{line}:{column}: error: [{rule}]")
    r = confgen("check", "--format", "json", path)
    assert r.returncode == 1
    cli = json.loads(r.stdout)["diagnostics"]
    assert [(c["rule"], c["line"], c["column"], c["message"]) for c in cli] == \
        [(x.rule, x.line, x.column, x.message) for x in e.value.diagnostics]
    # the same through loads_json (its name is used in locations)
    with pytest.raises(pyjailconf.LoadError) as e2:
        pyjailconf.loads_json(text, "text.json")
    assert (e2.value.diagnostics[0].rule, e2.value.diagnostics[0].line) == (rule, line)
    assert pyjailconf.check(path) == e.value.diagnostics


def test_loads_json_is_strict_whatever_the_name():
    with pytest.raises(pyjailconf.LoadError) as e:
        pyjailconf.loads_json("format: jailconf/1\n")
    assert e.value.diagnostics[0].rule == "JC-JSON-SYNTAX"
    assert e.value.diagnostics[0].file == "<string>"


def test_yaml_loads_accepts_json_text(qemu_virt):
    # JSON is YAML: loads() takes it too (without the strict syntax check)
    assert pyjailconf.loads(qemu_virt.to_json()) == qemu_virt


def test_lint_and_render_read_json(confgen, tmp_path):
    source = REPO / "tests/fixtures/kb/KB-CPU0-NOT-ROOT/flag.yaml"
    path = tmp_path / "flag.json"
    path.write_text(pyjailconf.load(source).to_json())
    found = pyjailconf.lint(path)
    assert "KB-CPU0-NOT-ROOT" in {d.rule for d in found}
    assert all(d.file == str(path) for d in found if d.rule.startswith("KB-"))
    r = confgen("lint", "--format", "sarif", path)
    assert pyjailconf.format_diagnostics(found, "sarif") == r.stdout
    out = tmp_path / "map.html"
    assert confgen("render", path, "-o", out).returncode == 0
    assert pyjailconf.render(path) == out.read_text()


def test_edited_model_round_trips(qemu_virt):
    rt = qemu_virt.find_cell("rt")
    rt.waivers.append(pyjailconf.Waiver(rule="KB-DMA-NO-IOMMU", reason='quotes " and \\ and é'))
    rt.name = "123"  # a name JSON must keep a string
    qemu_virt.links[0].peers = [c if c != "rt" else "123" for c in qemu_virt.links[0].peers]
    again = pyjailconf.loads_json(qemu_virt.to_json())
    assert again == qemu_virt
    assert again.find_cell("123").waivers[0].reason == 'quotes " and \\ and é'
