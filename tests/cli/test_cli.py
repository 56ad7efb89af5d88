"""The confgen command line as a user (or a CI job) drives it: verbs, exit codes, output streams,
atomic outputs."""
import json
import os
import pathlib
import re
import subprocess

import pytest

VERBS = ["check", "compile", "decompile", "schema", "summary", "collect", "scan", "generate",
         "explain", "render"]
EXAMPLES = ["examples/qemu-virt.yaml", "examples/split/system.yaml", "examples/x86-q35.yaml"]


def test_version(confgen):
    r = confgen("--version")
    assert r.returncode == 0
    assert re.match(r"confgen \d+\.\d+\.\d+", r.stdout)


@pytest.mark.parametrize("verb", VERBS)
def test_help_for_every_verb(confgen, verb):
    r = confgen(verb, "--help")
    assert r.returncode == 0
    assert verb in r.stdout


def test_usage_errors_exit_2(confgen):
    assert confgen().returncode == 2
    assert confgen("frobnicate").returncode == 2
    r = confgen("check", "--no-such-option", "x.yaml")
    assert r.returncode == 2
    assert "--help" in r.stderr
    assert confgen("check", "--format", "xml", "examples/qemu-virt.yaml").returncode == 2


@pytest.mark.parametrize("example", EXAMPLES)
def test_examples_pass_check(confgen, repo, example):
    r = confgen("check", repo / example)
    assert r.returncode == 0, r.stderr
    assert "ok (2 cells, 1 link)" in r.stderr
    assert r.stdout == ""


def test_check_reports_location_rule_and_fix(confgen, repo):
    f = repo / "tests/fixtures/load/unknown-key.yaml"
    r = confgen("check", f)
    assert r.returncode == 1
    assert f"{f}:10:5: error: [JC-SCHEMA-UNKNOWN-KEY] unknown key 'memroy'" in r.stderr
    assert "fix: rename it to 'memory'" in r.stderr
    assert r.stdout == ""


def test_check_missing_file_is_io_error(confgen, tmp_path):
    r = confgen("check", tmp_path / "absent.yaml")
    assert r.returncode == 3
    assert "[JC-IO]" in r.stderr


def test_check_reports_every_file(confgen, repo):
    r = confgen("check", repo / EXAMPLES[0], repo / "tests/fixtures/load/bad-enum.yaml",
                repo / "tests/fixtures/load/wrong-type.yaml")
    assert r.returncode == 1
    assert "JC-SCHEMA-VALUE" in r.stderr and "JC-SCHEMA-TYPE" in r.stderr
    assert "2 errors" in r.stderr


def test_check_json_goes_to_stdout(confgen, repo):
    f = repo / "tests/fixtures/load/bad-enum.yaml"
    r = confgen("check", "--format", "json", f)
    assert r.returncode == 1
    doc = json.loads(r.stdout)
    assert doc["errors"] == 1
    (d,) = doc["diagnostics"]
    assert d["rule"] == "JC-SCHEMA-VALUE"
    assert (d["file"], d["line"], d["column"]) == (str(f), 6, 19)
    assert d["severity"] == "error"
    assert d["fix"].startswith("use one of: pl011")


def test_check_json_clean(confgen, repo):
    r = confgen("check", "--format", "json", repo / EXAMPLES[0])
    assert r.returncode == 0
    assert json.loads(r.stdout)["diagnostics"] == []


def sarif_validator(repo):
    tool = repo / "build-tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
    if tool.exists():
        return tool
    if os.environ.get("CI"):
        pytest.fail("the SARIF validator is not installed (scripts/setup-deps.sh --tests)")
    pytest.skip("SARIF validator not installed; run scripts/setup-deps.sh --tests")


def validate_sarif(tool, text, tmp_path):
    """Runs the official validator; error-level results in its output mean the log is invalid."""
    sarif = tmp_path / "log.sarif"
    sarif.write_text(text)
    out = tmp_path / "validation.sarif"
    v = subprocess.run([str(tool), "validate", str(sarif), "-o", str(out), "--log",
                        "ForceOverwrite"], capture_output=True, text=True, timeout=300,
                       env={**os.environ, "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT": "1"})
    report = json.loads(out.read_text(encoding="utf-8-sig"))
    errors = [res for res in report["runs"][0].get("results", [])
              if res.get("level", "warning") == "error"]
    assert errors == [], json.dumps(errors, indent=1)[:4000]
    assert v.returncode == 0, v.stdout + v.stderr


@pytest.mark.parametrize("inputs", [
    ["tests/fixtures/load/unknown-key.yaml", "tests/fixtures/load/bad-enum.yaml",
     "tests/fixtures/rules/JC-MEM-CELL-OVERLAP/bad.yaml"],
    ["examples/qemu-virt.yaml"],
])
def test_sarif_is_valid_against_the_official_validator(confgen, repo, tmp_path, inputs):
    tool = sarif_validator(repo)
    r = confgen("check", "--format", "sarif", *[repo / i for i in inputs])
    log = json.loads(r.stdout)
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    assert run["tool"]["driver"]["name"] == "confgen"
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    for result in run["results"]:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        assert result["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1
    validate_sarif(tool, r.stdout, tmp_path)


@pytest.mark.parametrize("example", EXAMPLES)
def test_compile_decompile_compile_is_byte_identical(confgen, repo, tmp_path, example):
    first = tmp_path / "first.jcb"
    r = confgen("compile", repo / example, "-o", first)
    assert r.returncode == 0, r.stderr
    cell = tmp_path / "first.rt.jcb"
    assert first.read_bytes()[:4] == b"JCFG" and cell.exists()
    yaml = tmp_path / "round.yaml"
    r = confgen("decompile", first, cell, "-o", yaml)
    assert r.returncode == 0, r.stderr
    assert confgen("check", yaml).returncode == 0
    second = tmp_path / "sub" / "second.jcb"
    r = confgen("compile", yaml, "-o", second)
    assert r.returncode == 0, r.stderr
    assert first.read_bytes() == second.read_bytes()
    assert cell.read_bytes() == (tmp_path / "sub" / "second.rt.jcb").read_bytes()


def test_compile_with_errors_writes_nothing(confgen, repo, tmp_path):
    out = tmp_path / "x.jcb"
    r = confgen("compile", repo / "tests/fixtures/rules/JC-MEM-CELL-OVERLAP/bad.yaml", "-o", out)
    assert r.returncode == 1
    assert "JC-MEM-CELL-OVERLAP" in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_compile_to_unwritable_place_is_io_error_and_leaves_nothing(confgen, repo, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    r = confgen("compile", repo / EXAMPLES[0], "-o", blocker / "out.jcb")
    assert r.returncode == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_decompile_to_stdout(confgen, repo, tmp_path):
    confgen("compile", repo / EXAMPLES[0], "-o", tmp_path / "s.jcb")
    r = confgen("decompile", tmp_path / "s.jcb")
    assert r.returncode == 0
    assert r.stdout.startswith("format: jailconf/1\n")
    assert "name: root" in r.stdout and "name: rt" not in r.stdout


def test_decompile_rejects_corruption_with_offset(confgen, repo, tmp_path):
    blob = tmp_path / "s.jcb"
    confgen("compile", repo / EXAMPLES[0], "-o", blob)
    data = bytearray(blob.read_bytes())
    data[200] ^= 0x10
    bad = tmp_path / "bad.jcb"
    bad.write_bytes(bytes(data))
    r = confgen("decompile", bad, "-o", tmp_path / "out.yaml")
    assert r.returncode == 1
    assert str(bad) in r.stderr and "offset" in r.stderr
    assert not (tmp_path / "out.yaml").exists()
    bad.write_bytes(bytes(data[:100]))
    r = confgen("decompile", bad)
    assert r.returncode == 1 and "offset" in r.stderr


def test_decompile_of_yaml_is_refused(confgen, repo):
    r = confgen("decompile", repo / EXAMPLES[0])
    assert r.returncode == 1


def test_decompile_missing_file(confgen, tmp_path):
    assert confgen("decompile", tmp_path / "none.jcb").returncode == 3


def test_schema_is_the_embedded_file(confgen, repo, tmp_path):
    r = confgen("schema")
    assert r.returncode == 0
    assert r.stdout == (repo / "schema/jailconf.schema.json").read_text()
    json.loads(r.stdout)
    assert confgen("schema", "-o", tmp_path / "s.json").returncode == 0
    assert (tmp_path / "s.json").read_text() == r.stdout


def test_summary_from_yaml_and_blobs(confgen, repo, tmp_path):
    from_yaml = confgen("summary", repo / EXAMPLES[0])
    assert from_yaml.returncode == 0
    confgen("compile", repo / EXAMPLES[0], "-o", tmp_path / "s.jcb")
    from_blobs = confgen("summary", tmp_path / "s.jcb", tmp_path / "s.rt.jcb")
    assert from_blobs.returncode == 0
    # The same table; blobs add their measurement lines after it.
    assert from_blobs.stdout.startswith(from_yaml.stdout)
    assert re.search(r"^rt\s+3\s+48 MiB", from_yaml.stdout, re.M)


def test_summary_prints_the_measurement_of_each_blob(confgen, repo, tmp_path):
    """The digest the hypervisor logs for a blob is sha256sum of the file (docs/measurements.md);
    the payload digest is the one the header records."""
    import hashlib
    confgen("compile", repo / EXAMPLES[0], "-o", tmp_path / "s.jcb")
    r = confgen("summary", tmp_path / "s.jcb", tmp_path / "s.rt.jcb")
    assert r.returncode == 0
    for name in ("s.jcb", "s.rt.jcb"):
        data = (tmp_path / name).read_bytes()
        whole = hashlib.sha256(data).hexdigest()
        payload = hashlib.sha256(data[64:]).hexdigest()
        assert (f"measurement {tmp_path / name}: sha256 {whole} ({len(data)} bytes), "
                f"payload sha256 {payload}\n") in r.stdout


@pytest.mark.parametrize("example", EXAMPLES)
def test_json_view_round_trips_through_every_verb(confgen, repo, tmp_path, example):
    """decompile --format json (or -o F.json) writes the JSON view; check, compile and lint read
    a *.json system exactly like the YAML one."""
    first = tmp_path / "first.jcb"
    assert confgen("compile", repo / example, "-o", first).returncode == 0
    blobs = [first] + sorted(tmp_path.glob("first.*.jcb"))  # the system blob first
    as_json = tmp_path / "round.json"
    r = confgen("decompile", *blobs, "-o", as_json)
    assert r.returncode == 0, r.stderr
    doc = json.loads(as_json.read_text())
    assert doc["format"] == "jailconf/1" and isinstance(doc["hypervisor"]["memory"]["phys"], int)
    assert confgen("decompile", "--format", "json", *blobs).stdout == as_json.read_text()
    assert confgen("check", as_json).returncode == 0
    second = tmp_path / "sub" / "second.jcb"
    assert confgen("compile", as_json, "-o", second).returncode == 0
    assert first.read_bytes() == second.read_bytes()
    as_yaml = tmp_path / "round.yaml"
    assert confgen("decompile", *blobs, "-o", as_yaml).returncode == 0
    assert as_yaml.read_text().startswith("format: jailconf/1\n")  # yaml unless *.json
    lint_json = json.loads(confgen("lint", "--format", "json", as_json).stdout)["diagnostics"]
    lint_yaml = json.loads(confgen("lint", "--format", "json", as_yaml).stdout)["diagnostics"]
    assert [(d["rule"], d["message"]) for d in lint_json] == \
        [(d["rule"], d["message"]) for d in lint_yaml]


def test_broken_json_is_a_located_syntax_error(confgen, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "jailconf/1",\n "arch": "arm64",\n}\n')
    r = confgen("check", "--format", "json", bad)
    assert r.returncode == 1
    (d,) = json.loads(r.stdout)["diagnostics"]
    assert (d["rule"], d["file"], d["line"], d["column"]) == ("JC-JSON-SYNTAX", str(bad), 3, 1)
    # YAML in a file named *.json is refused: the name says which reader applies
    yaml_in_json = tmp_path / "yaml.json"
    yaml_in_json.write_text("format: jailconf/1\narch: arm64\n")
    r = confgen("check", "--format", "json", yaml_in_json)
    assert json.loads(r.stdout)["diagnostics"][0]["rule"] == "JC-JSON-SYNTAX"
    assert confgen("decompile", "--format", "xml", bad).returncode == 2
