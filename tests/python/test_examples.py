"""The helper scripts under examples/python/ run and do what they say."""

import csv
import io
import subprocess
import sys

import pyjailconf


def run(repo, script, *args, cwd=None):
    return subprocess.run([sys.executable, str(repo / "examples/python" / script), *map(str, args)],
                          capture_output=True, text=True, timeout=120, cwd=cwd)


def test_summarise(repo):
    r = run(repo, "summarise.py", repo / "examples/qemu-virt.yaml")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("qemu-virt (arm64), hypervisor at 0x7c000000 (64M)")
    root = next(l for l in lines if l.startswith("root "))
    assert root.split()[:4] == ["root", "yes", "0-2", "896M"]
    assert any(l.startswith("ping ") and "root<->rt" in l for l in lines)


def test_summarise_reports_load_errors(repo):
    r = run(repo, "summarise.py", repo / "tests/fixtures/load/bad-enum.yaml")
    assert r.returncode == 1 and "[JC-SCHEMA-VALUE]" in r.stderr
    assert run(repo, "summarise.py", repo / "nope.yaml").returncode == 3


def test_move_region_to_root(repo, tmp_path):
    out = tmp_path / "moved.yaml"
    r = run(repo, "move_resource.py", repo / "examples/qemu-virt.yaml", "--region", "rtc",
            "--to", "root", "-o", out)
    assert r.returncode == 0, r.stderr
    moved = pyjailconf.load(out)
    assert moved.root_cell().find_region("rtc") is not None
    assert moved.find_cell("rt").find_region("rtc") is None
    assert pyjailconf.check(out) == []


def test_move_region_that_breaks_the_system(repo):
    # the root console UART leaves the root cell: JC-CONSOLE-UNMAPPED
    r = run(repo, "move_resource.py", repo / "examples/qemu-virt.yaml", "--region", "uart0",
            "--from", "root", "--to", "rt")
    assert r.returncode == 1
    assert "[JC-CONSOLE-UNMAPPED]" in r.stderr
    assert r.stdout.startswith("format: jailconf/1")


def test_move_device(repo, tmp_path):
    out = tmp_path / "moved.yaml"
    r = run(repo, "move_resource.py", repo / "examples/qemu-virt.yaml", "--device", "00:00.0",
            "--to", "rt", "-o", out)
    moved = pyjailconf.load(out)
    assert [d.bdf for d in moved.find_cell("rt").pci_devices] == ["00:00.0"]
    assert moved.root_cell().pci_devices == []
    assert r.returncode in (0, 1)


def test_move_unknown_region(repo):
    r = run(repo, "move_resource.py", repo / "examples/qemu-virt.yaml", "--region", "nope",
            "--from", "rt", "--to", "root")
    assert r.returncode != 0 and "no region 'nope'" in r.stderr


def test_diagnostics_csv(repo):
    bad = sorted((repo / "tests/fixtures/rules").glob("*/bad.yaml"))
    r = run(repo, "diagnostics_csv.py", *bad, repo / "examples/qemu-virt.yaml")
    assert r.returncode == 1, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert set(rows[0]) == {"file", "line", "column", "severity", "rule", "message", "fix"}
    rules = {row["rule"] for row in rows}
    for path in bad:
        assert path.parent.name in rules
    assert not any(row["file"].endswith("qemu-virt.yaml") for row in rows)


def test_diagnostics_csv_clean_and_missing(repo):
    r = run(repo, "diagnostics_csv.py", repo / "examples/qemu-virt.yaml")
    assert r.returncode == 0 and r.stdout.strip() == "file,line,column,severity,rule,message,fix"
    r = run(repo, "diagnostics_csv.py", repo / "nope.yaml")
    assert r.returncode == 3 and "JC-IO" in r.stdout


def test_lint_report_groups_by_cell(repo):
    flag = repo / "tests/fixtures/kb/KB-CPU0-NOT-ROOT/flag.yaml"
    r = run(repo, "lint_report.py", flag)
    assert r.returncode == 1, r.stderr
    lines = r.stdout.splitlines()
    rt = lines.index(next(l for l in lines if l.startswith("rt: ")))
    finding = next(l for l in lines[rt + 1:] if "KB-CPU0-NOT-ROOT" in l)
    assert finding.split()[:3] == ["20", "error", "KB-CPU0-NOT-ROOT"]
    # the listed findings are lint()'s, each once
    listed = [l for l in lines if l.startswith("  ") and l.split()[0].isdigit()]
    assert len(listed) == len(pyjailconf.lint(flag))
    assert lines[-1].startswith("1 error") and "inventory rules skipped" in lines[-1]


def test_lint_report_with_a_scanned_machine_and_a_waiver(repo, tmp_path):
    flag = repo / "tests/fixtures/kb/KB-CPU-SPIN-TABLE/flag.yaml"
    dtb = repo / "tests/fixtures/fdt/bcm2711-rpi-4-b.dtb"
    assert "KB-CPU-SPIN-TABLE" not in run(repo, "lint_report.py", flag).stdout
    r = run(repo, "lint_report.py", flag, "--dtb", dtb)
    assert r.returncode == 1 and "KB-CPU-SPIN-TABLE" in r.stdout
    assert "judged against the machine" in r.stdout
    # waive it in the cell that has the CPU, through the model, and lint the written file
    system = pyjailconf.load(flag)
    cell = next(c for c in system.cells if not c.root)
    cell.waivers.append(pyjailconf.Waiver(rule="KB-CPU-SPIN-TABLE", reason="cell never restarts"))
    waived = tmp_path / "waived.yaml"
    waived.write_text(system.to_yaml())
    inv = tmp_path / "inv.yaml"
    pyjailconf.scan(dtb=dtb).save(inv)
    r = run(repo, "lint_report.py", waived, "--inventory", inv)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "waived: cell never restarts" in r.stdout and "1 waived" in r.stdout


def test_lint_report_errors(repo, tmp_path):
    flag = repo / "tests/fixtures/kb/KB-CPU0-NOT-ROOT/flag.yaml"
    assert run(repo, "lint_report.py", repo / "nope.yaml").returncode == 3
    assert run(repo, "lint_report.py", flag, "--inventory", tmp_path / "none.yaml").returncode == 3
    bad = tmp_path / "rules"
    bad.mkdir()
    (bad / "r.yaml").write_text("format: jailconf-kb/1\nrules: [{id: KB-X}]\n")
    r = run(repo, "lint_report.py", flag, "--rules-dir", bad)
    assert r.returncode == 1 and str(bad / "r.yaml") in r.stderr
    assert run(repo, "lint_report.py", flag, "--guest-dt", "rt").returncode == 2


def test_lint_many_with_one_knowledge_base(repo, tmp_path):
    kb_dir = repo / "tests/fixtures/kb"
    json_file = tmp_path / "qemu-virt.json"
    json_file.write_text(pyjailconf.load(repo / "examples/qemu-virt.yaml").to_json())
    files = [repo / "examples/qemu-virt.yaml", json_file, kb_dir / "KB-CPU0-NOT-ROOT/flag.yaml",
             repo / "tests/fixtures/load/bad-enum.yaml"]
    html, sarif = tmp_path / "maps", tmp_path / "all.sarif"
    r = run(repo, "lint_many.py", *files, "--jobs", "3", "--html-dir", html, "--sarif", sarif)
    assert r.returncode == 1, r.stderr  # KB-CPU0-NOT-ROOT and the schema error
    lines = r.stdout.splitlines()
    assert lines[0].startswith(str(files[0])) and " 0 error(s)" in lines[0]
    assert "1 error(s)" in lines[2] and "flag.yaml.html" in lines[2]
    assert "1 error(s)" in lines[3] and "->" not in lines[3]  # does not load: no map
    assert lines[-1].startswith("4 file(s), ") and "3 thread(s)" in lines[-1]
    assert sorted(p.name for p in html.iterdir()) == ["flag.yaml.html", "qemu-virt.json.html",
                                                      "qemu-virt.yaml.html"]
    assert (html / "flag.yaml.html").read_text() == pyjailconf.render(files[2])
    import json

    results = json.loads(sarif.read_text())["runs"][0]["results"]
    assert {"KB-CPU0-NOT-ROOT", "JC-SCHEMA-VALUE"} <= {x["ruleId"] for x in results}


def test_lint_many_errors(repo, tmp_path):
    assert run(repo, "lint_many.py", repo / "examples/qemu-virt.yaml").returncode == 0
    assert run(repo, "lint_many.py", tmp_path / "none.yaml").returncode == 3
    bad = tmp_path / "rules"
    bad.mkdir()
    (bad / "r.yaml").write_text("format: jailconf-kb/1\nrules: [{id: KB-X}]\n")
    r = run(repo, "lint_many.py", repo / "examples/qemu-virt.yaml", "--rules-dir", bad)
    assert r.returncode == 1 and "r.yaml:2" in r.stderr
    assert run(repo, "lint_many.py").returncode == 2
