"""python -m pyjailconf: a thin entry point with confgen's exit codes."""

import json
import subprocess
import sys

import pyjailconf


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "pyjailconf", *map(str, args)],
                          capture_output=True, text=True, timeout=60, cwd=cwd)


def test_check_ok(repo):
    r = run("check", repo / "examples/qemu-virt.yaml", repo / "examples/split/system.yaml")
    assert r.returncode == 0, r.stderr
    assert "qemu-virt.yaml: ok" in r.stderr


def test_check_errors(repo):
    path = repo / "tests/fixtures/rules/JC-MEM-OVERLAP/bad.yaml"
    r = run("check", path)
    assert r.returncode == 1
    assert f"{path}:" in r.stderr and "error: [JC-MEM-OVERLAP]" in r.stderr
    assert "fix:" in r.stderr


def test_check_load_error(repo):
    r = run("check", repo / "tests/fixtures/load/bad-enum.yaml")
    assert r.returncode == 1 and "bad-enum.yaml:6:19: error: [JC-SCHEMA-VALUE]" in r.stderr


def test_check_json(repo):
    r = run("check", "--format", "json", repo / "tests/fixtures/rules/JC-MEM-OVERLAP/bad.yaml")
    assert r.returncode == 1
    assert json.loads(r.stdout)["errors"] >= 1


def test_check_missing_file(repo):
    r = run("check", repo / "nope.yaml")
    assert r.returncode == 3 and "nope.yaml" in r.stderr


def test_usage_errors():
    assert run().returncode == 2
    assert run("check").returncode == 2
    assert run("frobnicate").returncode == 2


def test_rules_schema_version():
    r = run("rules")
    assert r.returncode == 0 and "JC-MEM-OVERLAP" in r.stdout
    assert "properties" in json.loads(run("schema").stdout)
    assert run("--version").returncode == 0


def test_lint_verb(repo, tmp_path):
    flag = repo / "tests/fixtures/kb/KB-CPU0-NOT-ROOT/flag.yaml"
    r = run("lint", "--format", "json", flag)
    assert r.returncode == 1
    doc = json.loads(r.stdout)
    assert [d["rule"] for d in doc["diagnostics"]] == [d.rule for d in pyjailconf.lint(flag)]
    assert "KB-CPU0-NOT-ROOT" in {d["rule"] for d in doc["diagnostics"]}
    assert run("lint", repo / "examples/qemu-virt.yaml").returncode == 0
    assert run("lint", flag, "--no-builtin-rules").returncode == 0
    bad = tmp_path / "rules"
    bad.mkdir()
    (bad / "r.yaml").write_text("format: jailconf-kb/1\nrules: [{id: KB-X}]\n")
    r = run("lint", flag, "--rules-dir", bad)
    assert r.returncode == 1 and str(bad / "r.yaml") in r.stderr
    assert run("lint", tmp_path / "none.yaml").returncode == 3
    assert run("lint", flag, "--guest-dt", "rt").returncode == 2
    r = run("rules")
    assert any(l.split()[:2] == ["KB-CPU0-NOT-ROOT", "kb"] for l in r.stdout.splitlines())


def test_sarif_and_render_verbs(repo, tmp_path, confgen):
    flag = repo / "tests/fixtures/kb/KB-CPU0-NOT-ROOT/flag.yaml"
    for verb in ("lint", "check"):
        r = run(verb, "--format", "sarif", flag)
        assert r.returncode == (1 if verb == "lint" else 0)  # the finding is a kb rule's
        assert r.stdout == confgen(verb, "--format", "sarif", flag).stdout
    page = tmp_path / "map.html"
    assert run("render", flag, "-o", page).returncode == 0
    cli = tmp_path / "cli.html"
    assert confgen("render", flag, "-o", cli).returncode == 0
    assert page.read_text() == cli.read_text()
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: jailconf/1\narch: arm64\nbogus: 1\n")
    r = run("render", bad, "-o", page)
    assert r.returncode == 1 and "JC-SCHEMA" in r.stderr
    assert run("render", tmp_path / "none.yaml", "-o", page).returncode == 3
    assert run("render", flag).returncode == 2  # no -o
