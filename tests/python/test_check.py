"""check(): every rule fixture reports its rule; good fixtures have no errors; the diagnostic
fields; rendering as confgen does."""

import json

import pytest

import pyjailconf


def rule_dirs(repo):
    return sorted(p for p in (repo / "tests/fixtures/rules").iterdir() if p.is_dir())


def pytest_generate_tests(metafunc):
    if "rule_dir" in metafunc.fixturenames:
        from conftest import REPO

        dirs = rule_dirs(REPO)
        metafunc.parametrize("rule_dir", dirs, ids=[d.name for d in dirs])


def test_bad_fixture_reports_rule(rule_dir):
    diags = pyjailconf.check(rule_dir / "bad.yaml")
    assert rule_dir.name in [d.rule for d in diags]
    hit = next(d for d in diags if d.rule == rule_dir.name)
    assert hit.file.endswith("bad.yaml")
    assert hit.line > 0 and hit.column > 0
    assert hit.message and hit.fix
    assert hit.severity in ("error", "warning", "note")


def test_good_fixture_has_no_errors(rule_dir):
    diags = pyjailconf.check(str(rule_dir / "good.yaml"))
    assert [d for d in diags if d.is_error] == []
    assert rule_dir.name not in [d.rule for d in diags]


def test_check_system_same_as_check_path(rule_dir):
    path = rule_dir / "bad.yaml"
    try:
        system = pyjailconf.load(path)
    except pyjailconf.LoadError:
        pytest.skip("rejected by the loader (schema)")
    assert pyjailconf.check(system) == pyjailconf.check(path)
    assert system.check() == pyjailconf.check(system)


def test_examples_are_clean(repo):
    for path in (repo / "examples/qemu-virt.yaml", repo / "examples/split/system.yaml"):
        assert pyjailconf.check(path) == []


def test_diagnostic_fields(repo):
    diags = pyjailconf.check(repo / "tests/fixtures/rules/JC-MEM-OVERLAP/bad.yaml")
    d = next(d for d in diags if d.rule == "JC-MEM-OVERLAP")
    assert isinstance(d.line, int) and isinstance(d.column, int)
    assert d.is_error
    assert str(d) == f"{d.file}:{d.line}:{d.column}: error: [JC-MEM-OVERLAP] {d.message}"
    assert "JC-MEM-OVERLAP" in repr(d)
    assert all(isinstance(r.line, int) and r.message for r in d.related)


def test_diagnostics_sorted(repo):
    paths = sorted((repo / "tests/fixtures/rules").glob("*/bad.yaml"))
    for p in paths:
        diags = pyjailconf.check(p)
        keys = [(d.file, d.line, d.column) for d in diags]
        assert keys == sorted(keys)


def test_format_diagnostics(repo):
    diags = pyjailconf.check(repo / "tests/fixtures/rules/JC-MEM-OVERLAP/bad.yaml")
    text = pyjailconf.format_diagnostics(diags)
    assert f"{diags[0].file}:{diags[0].line}:{diags[0].column}: error: [" in text
    data = json.loads(pyjailconf.format_diagnostics(diags, "json"))
    assert data["errors"] == sum(d.is_error for d in diags)
    sarif = json.loads(pyjailconf.format_diagnostics(diags, "sarif"))
    assert sarif["version"] == "2.1.0"
    with pytest.raises(ValueError):
        pyjailconf.format_diagnostics(diags, "xml")


def test_diagnostic_severity_validated():
    d = pyjailconf.Diagnostic()
    d.severity = "warning"
    assert d.severity == "warning" and not d.is_error
    with pytest.raises(ValueError):
        d.severity = "fatal"
