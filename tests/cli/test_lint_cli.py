"""confgen lint as CI uses it: exit codes, text/JSON/SARIF (checked by the official SARIF
validator, waivers as suppressions), site rule directories with mistakes, and the whole chain on
QEMU's own board: plan -> lint -> guest device trees -> lint of the guest trees, with a guest
tree broken the classic way (INTID written as SPI number) caught."""
import json
import re
import subprocess

import pytest

from test_cli import sarif_validator, validate_sarif

FLAG = "tests/fixtures/kb/KB-CPU0-NOT-ROOT/flag.yaml"


def test_lint_help_names_formats_and_exit_codes(confgen):
    r = confgen("lint", "--help")
    assert r.returncode == 0
    for word in ["--inventory", "--rules-dir", "--guest-dt", "sarif", "Exit status", "waive"]:
        assert word in r.stdout


def test_clean_config_exits_0_and_says_what_ran(confgen, repo):
    r = confgen("lint", repo / "examples/qemu-virt.yaml")
    assert r.returncode == 0, r.stderr
    assert re.search(r"lint: \d+ kb rules run, \d+ skipped \(no --inventory", r.stderr)


def test_kb_error_exits_1_with_location_and_fix(confgen, repo):
    r = confgen("lint", repo / FLAG)
    assert r.returncode == 1
    assert "flag.yaml:20:12: error: [KB-CPU0-NOT-ROOT] CPU 0 is given to cell rt" in r.stderr
    assert "fix: give cell rt another CPU" in r.stderr


def test_json_goes_to_stdout(confgen, repo):
    r = confgen("lint", "--format", "json", repo / FLAG)
    assert r.returncode == 1
    found = [d for d in json.loads(r.stdout)["diagnostics"] if d["rule"] == "KB-CPU0-NOT-ROOT"]
    assert found and found[0]["line"] == 20 and found[0]["severity"] == "error"


def waived(repo, tmp_path):
    text = (repo / FLAG).read_text().replace(
        "    cpus: [0]  # expect: KB-CPU0-NOT-ROOT\n",
        "    cpus: [0]\n    waivers: [{rule: KB-CPU0-NOT-ROOT, reason: \"bring-up board: "
        "only CPU 0 is wired to the <debug> UART & \\\"JTAG\\\"\"}]\n")
    path = tmp_path / "waived.yaml"
    path.write_text(text)
    return path


def test_waiver_turns_the_error_into_a_note_and_keeps_the_reason(confgen, repo, tmp_path):
    r = confgen("lint", "--format", "json", waived(repo, tmp_path))
    assert r.returncode == 0, r.stdout
    d = [d for d in json.loads(r.stdout)["diagnostics"] if d["rule"] == "KB-CPU0-NOT-ROOT"][0]
    assert d["severity"] == "note"
    assert d["waived"].startswith("bring-up board")
    r = confgen("lint", waived(repo, tmp_path))
    assert "1 finding waived" in r.stderr


@pytest.mark.parametrize("case", ["findings", "waived", "clean"])
def test_lint_sarif_is_valid_with_kb_rule_metadata(confgen, repo, tmp_path, case):
    tool = sarif_validator(repo)
    path = {"findings": repo / FLAG, "waived": waived(repo, tmp_path),
            "clean": repo / "examples/qemu-virt.yaml"}[case]
    r = confgen("lint", "--format", "sarif", path)
    log = json.loads(r.stdout)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [rule["id"] for rule in rules]
    assert "KB-CPU0-NOT-ROOT" in ids and "KB-INTX-SHARED" in ids and "JC-MEM-OVERLAP" in ids
    kb = rules[ids.index("KB-CPU0-NOT-ROOT")]
    assert kb["defaultConfiguration"]["level"] == "error" and kb["help"]["text"]
    for result in run["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]
    if case == "waived":
        suppressed = [x for x in run["results"] if x["ruleId"] == "KB-CPU0-NOT-ROOT"]
        assert suppressed[0]["suppressions"][0]["kind"] == "inSource"
        assert "JTAG" in suppressed[0]["suppressions"][0]["justification"]
    validate_sarif(tool, r.stdout, tmp_path)


def test_site_rules_dir_adds_rules(confgen, repo, tmp_path):
    site = tmp_path / "site" / "rules"
    site.mkdir(parents=True)
    (site / "ours.yaml").write_text("""format: jailconf-kb/1
rules:
  - id: KB-SITE-ONE-CPU-CELLS
    severity: warning
    title: Our real-time cells get two CPUs
    rationale: Site policy, for lockstep pairs.
    for: {c: cell}
    where:
      - {eq: [$c.root, false]}
      - {lt: [$c.cpu_count, 2]}
    message: "cell {c.name} has {c.cpu_count} CPU"
    fix: "give cell {c.name} a second CPU"
""")
    r = confgen("lint", "--format", "json", "--rules-dir", tmp_path / "site",
                repo / "examples/qemu-virt.yaml")
    assert r.returncode == 0, r.stdout
    found = [d for d in json.loads(r.stdout)["diagnostics"] if d["rule"] == "KB-SITE-ONE-CPU-CELLS"]
    assert len(found) == 1 and found[0]["message"] == "cell rt has 1 CPU"
    r = confgen("rules", "--rules-dir", tmp_path / "site")
    assert "KB-SITE-ONE-CPU-CELLS" in r.stdout


def test_broken_site_rule_is_reported_at_its_line(confgen, repo, tmp_path):
    (tmp_path / "bad.yaml").write_text("""format: jailconf-kb/1
rules:
  - id: KB-SITE-BAD
    severity: error
    title: t
    rationale: r
    for: {c: cells}
    message: m
    fix: f
""")
    r = confgen("lint", "--rules-dir", tmp_path, repo / "examples/qemu-virt.yaml")
    assert r.returncode == 1
    assert "bad.yaml:7:14: error: [JC-KB-RULE] unknown fact table 'cells'" in r.stderr
    assert "did you mean 'cell'?" in r.stderr


def test_missing_files_and_bad_arguments(confgen, repo, tmp_path):
    assert confgen("lint", tmp_path / "absent.yaml").returncode == 3
    assert confgen("lint", "--inventory", tmp_path / "absent.yaml",
                   repo / "examples/qemu-virt.yaml").returncode == 3
    assert confgen("lint", "--rules-dir", tmp_path / "absent", repo / "examples/qemu-virt.yaml").returncode == 1
    assert confgen("lint", "--guest-dt", "nocell", repo / "examples/qemu-virt.yaml").returncode == 2
    assert confgen("lint", "--format", "xml", repo / "examples/qemu-virt.yaml").returncode == 2


def test_plan_then_lint_guest_trees_of_qemu_virt(confgen, repo, tmp_path):
    inv = tmp_path / "inv.yaml"
    dtb = repo / "tests/fixtures/fdt/qemu-virt-gicv3.dtb"
    assert confgen("scan", "--dtb", dtb, "-o", inv).returncode == 0
    out = tmp_path / "out"
    r = confgen("generate", "--inventory", inv, "--request", repo / "examples/request.yaml",
                "-o", out)
    assert r.returncode == 0, r.stderr
    r = confgen("lint", "--format", "json", "--inventory", inv, out / "system.yaml")
    assert r.returncode == 0, r.stdout
    report = json.loads(r.stdout)
    assert report["errors"] == 0 and report["warnings"] == 0, report
    trees = tmp_path / "dt"
    r = confgen("guest-dt", out / "system.yaml", "--inventory", inv, "--host-dtb", dtb, "-o", trees)
    assert r.returncode == 0, r.stderr
    cells = sorted(p.stem for p in trees.glob("*.dtb"))
    assert cells == ["root", "rt", "worker"]
    for cell in cells:  # dtc accepts what we emit
        subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", tmp_path / f"{cell}.dtc.dtb",
                        trees / f"{cell}.dts"], check=True)
    args = [a for cell in cells for a in ("--guest-dt", f"{cell}={trees / (cell + '.dtb')}")]
    r = confgen("lint", "--format", "json", "--inventory", inv, *args, out / "system.yaml")
    assert r.returncode == 0, r.stdout
    assert not [d for d in json.loads(r.stdout)["diagnostics"] if d["rule"].startswith("KB-GUEST")]
    # The classic mistake: the INTID written in the GIC_SPI field of the RTC's interrupts.
    dts = (trees / "rt.dts").read_text()
    spec = re.search(r"(interrupts = <0x0 )(0x[0-9a-f]+|\d+)( 0x4>;)", dts)
    assert spec, dts
    spi = int(spec.group(2), 0)
    broken = dts.replace(spec.group(0), f"{spec.group(1)}{hex(spi + 32)}{spec.group(3)}")
    (tmp_path / "rt-broken.dts").write_text(broken)
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", tmp_path / "rt-broken.dtb",
                    tmp_path / "rt-broken.dts"], check=True)
    r = confgen("lint", "--format", "json", "--inventory", inv, "--guest-dt",
                f"rt={tmp_path / 'rt-broken.dtb'}", out / "system.yaml")
    assert r.returncode == 1
    found = [d for d in json.loads(r.stdout)["diagnostics"] if d["rule"] == "KB-GUEST-IRQ-OFF-BY-32"]
    assert len(found) == 1 and f"interrupt {spi + 64}" in found[0]["message"]
