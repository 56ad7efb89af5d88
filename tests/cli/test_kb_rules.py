"""Every kb rule ships with two fixtures under tests/fixtures/kb/<RULE-ID>/: flag.yaml, which the
rule must flag exactly on the lines marked `# expect: <RULE-ID>`, and pass.yaml, which it must
not flag. Both must be valid configurations (no check errors), so that the rule, not a broken
file, decides. Header comments pick the machine the fixture is linted against, from real data:

    # lint-inventory: fdt/zynqmp-zcu102-rev1.0.dtb   (scanned with confgen scan --dtb)
    # lint-inventory: machines/x86-vm                (scanned with confgen scan --root)
    # lint-guest-dt: rt=kb/KB-X/rt.dts               (compiled with dtc, passed as --guest-dt)
    # lint-args: --rules-dir kb/site                 (more arguments, paths under tests/fixtures)
"""
import json
import pathlib
import re
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
KB_FIXTURES = FIXTURES / "kb"
RULE_DIRS = sorted(p.name for p in KB_FIXTURES.glob("KB-*") if p.is_dir())


@pytest.fixture(scope="session")
def kb_rules(confgen):
    result = confgen("rules", "--format", "json")
    assert result.returncode == 0, result.stderr
    return {r["id"]: r for r in json.loads(result.stdout) if r["kind"] == "kb"}


@pytest.fixture(scope="session")
def inventories(confgen, tmp_path_factory):
    cache = {}
    out = tmp_path_factory.mktemp("inventories")

    def get(source):
        if source not in cache:
            path = out / (re.sub(r"[^A-Za-z0-9]", "_", source) + ".yaml")
            src = FIXTURES / source
            args = ["--root", src] if src.is_dir() else ["--dtb", src]
            result = confgen("scan", *args, "-o", path)
            assert result.returncode == 0, result.stderr
            cache[source] = path
        return cache[source]

    return get


def lint_fixture(confgen, inventories, tmp_path, path):
    text = path.read_text()
    args = ["lint", "--format", "json"]
    for line in text.splitlines():
        if m := re.match(r"#\s*lint-inventory:\s*(\S+)", line):
            args += ["--inventory", inventories(m.group(1))]
        elif m := re.match(r"#\s*lint-guest-dt:\s*(\w+)=(\S+)", line):
            dtb = tmp_path / (m.group(1) + ".dtb")
            subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dtb,
                            FIXTURES / m.group(2)], check=True)
            args += ["--guest-dt", f"{m.group(1)}={dtb}"]
        elif m := re.match(r"#\s*lint-args:\s*(.+)", line):
            for a in m.group(1).split():
                args.append(FIXTURES / a if (FIXTURES / a).exists() else a)
    result = confgen(*args, path)
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    errors = [d for d in report["diagnostics"]
              if d["severity"] == "error" and not d["rule"].startswith("KB-")]
    assert not errors, f"{path} is not a valid configuration: {errors}"
    return report["diagnostics"]


def expected_lines(path, rule):
    return {n for n, line in enumerate(path.read_text().splitlines(), 1)
            if re.search(r"#\s*expect:.*\b" + re.escape(rule) + r"\b", line)}


def test_every_rule_has_fixtures(kb_rules):
    missing = [r for r in kb_rules
               if not (KB_FIXTURES / r / "flag.yaml").is_file()
               or not (KB_FIXTURES / r / "pass.yaml").is_file()]
    assert not missing, f"rules without flag.yaml/pass.yaml fixtures: {missing}"
    assert len(kb_rules) >= 30


def test_every_fixture_has_a_rule(kb_rules):
    assert set(RULE_DIRS) <= set(kb_rules), set(RULE_DIRS) - set(kb_rules)


@pytest.mark.parametrize("rule", RULE_DIRS)
def test_rule_flags_exactly_the_marked_lines(rule, confgen, inventories, tmp_path):
    path = KB_FIXTURES / rule / "flag.yaml"
    expected = expected_lines(path, rule)
    assert expected, f"{path} marks no line with '# expect: {rule}'"
    found = lint_fixture(confgen, inventories, tmp_path, path)
    lines = {d["line"] for d in found if d["rule"] == rule}
    assert lines == expected, f"{rule} flagged lines {sorted(lines)}, expected {sorted(expected)}"
    for d in found:
        if d["rule"] == rule:
            assert d["message"] and d["fix"] and "{" not in d["message"]


@pytest.mark.parametrize("rule", RULE_DIRS)
def test_rule_passes_the_clean_fixture(rule, confgen, inventories, tmp_path):
    path = KB_FIXTURES / rule / "pass.yaml"
    found = lint_fixture(confgen, inventories, tmp_path, path)
    assert not [d for d in found if d["rule"] == rule]
