"""pyjailconf.lint / rules / waivers on the kb fixtures (tests/fixtures/kb/<RULE>/flag.yaml and
pass.yaml, linted against the real machines their headers name): the same diagnostics as
`confgen lint --format json`, waivers, and errors as exceptions with the CLI's locations."""

import concurrent.futures
import json
import re
import subprocess

import pytest

import pyjailconf

from conftest import REPO

FIXTURES = REPO / "tests" / "fixtures"
KB = FIXTURES / "kb"
RULE_DIRS = sorted(p.name for p in KB.glob("KB-*") if p.is_dir())

SITE_RULE = """format: jailconf-kb/1
rules:
  - id: KB-SITE-BIG-CELL
    severity: warning
    title: A non-root cell has more than 32 MiB of RAM
    rationale: Site policy keeps non-root cells small.
    for: {a: region}
    where:
      - {eq: [$a.cell_root, false]}
      - {gt: [$a.size, 0x2000000]}
    message: "region {a.name} of cell {a.cell} is larger than 32 MiB"
    fix: "shrink region {a.name}"
"""


@pytest.fixture(scope="module")
def inventories(tmp_path_factory):
    """Scans a fixture machine once with pyjailconf.scan: (Inventory, YAML file for the CLI)."""
    cache = {}
    out = tmp_path_factory.mktemp("inventories")

    def get(source):
        if source not in cache:
            src = FIXTURES / source
            inv = pyjailconf.scan(root=src) if src.is_dir() else pyjailconf.scan(dtb=src)
            path = out / (re.sub(r"[^A-Za-z0-9]", "_", source) + ".yaml")
            inv.save(path)
            cache[source] = (inv, path)
        return cache[source]

    return get


def fixture_inputs(path, inventories, tmp_path):
    """The header comments of a kb fixture as lint() keywords and as CLI arguments."""
    kwargs, args = {"guest_dts": {}, "rules_dirs": []}, []
    for line in path.read_text().splitlines():
        if m := re.match(r"#\s*lint-inventory:\s*(\S+)", line):
            inv, inv_path = inventories(m.group(1))
            kwargs["inventory"] = inv
            args += ["--inventory", inv_path]
        elif m := re.match(r"#\s*lint-guest-dt:\s*(\w+)=(\S+)", line):
            dtb = tmp_path / (m.group(1) + ".dtb")
            subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dtb,
                            FIXTURES / m.group(2)], check=True)
            kwargs["guest_dts"][m.group(1)] = dtb
            args += ["--guest-dt", f"{m.group(1)}={dtb}"]
        elif m := re.match(r"#\s*lint-args:\s*(.+)", line):
            words = m.group(1).split()
            assert words[0::2] == ["--rules-dir"] * (len(words) // 2), words
            for d in words[1::2]:
                kwargs["rules_dirs"].append(FIXTURES / d)
                args += ["--rules-dir", FIXTURES / d]
    return kwargs, args


def as_cli_json(d):
    """A Diagnostic as `confgen lint --format json` writes it, field by field."""
    item = {"file": d.file, "line": d.line, "column": d.column, "rule": d.rule,
            "severity": d.severity, "message": d.message, "fix": d.fix,
            "related": [{"file": r.file, "line": r.line, "column": r.column,
                         "message": r.message} for r in d.related]}
    if d.suppression is not None:
        item["waived"] = d.suppression
    return item


def expected_lines(path, rule):
    return {n for n, line in enumerate(path.read_text().splitlines(), 1)
            if re.search(r"#\s*expect:.*\b" + re.escape(rule) + r"\b", line)}


@pytest.mark.parametrize("rule", RULE_DIRS)
def test_flag_fixture_flags_exactly_the_marked_lines(rule, inventories, tmp_path):
    path = KB / rule / "flag.yaml"
    kwargs, _ = fixture_inputs(path, inventories, tmp_path)
    found = pyjailconf.lint(path, **kwargs)
    assert not [d for d in found if d.is_error and not d.rule.startswith("KB-")], found
    assert {d.line for d in found if d.rule == rule} == expected_lines(path, rule)
    assert all(d.file == str(path) for d in found if d.rule == rule)
    # the pass fixture is clean of this rule
    passing = KB / rule / "pass.yaml"
    kwargs, _ = fixture_inputs(passing, inventories, tmp_path)
    assert not [d for d in pyjailconf.lint(passing, **kwargs) if d.rule == rule]


@pytest.mark.parametrize("rule", RULE_DIRS)
def test_same_diagnostics_as_the_cli(rule, confgen, inventories, tmp_path):
    path = KB / rule / "flag.yaml"
    kwargs, args = fixture_inputs(path, inventories, tmp_path)
    r = confgen("lint", "--format", "json", *args, path)
    assert r.returncode in (0, 1), r.stderr
    cli = json.loads(r.stdout)["diagnostics"]
    assert any(d["rule"] == rule for d in cli)
    by_path = pyjailconf.lint(path, **kwargs)
    assert [as_cli_json(d) for d in by_path] == cli
    # a loaded System lints the same (the model carries the source locations)
    assert pyjailconf.lint(pyjailconf.load(path), **kwargs) == by_path
    # the inventory given as the file confgen scan wrote
    if "inventory" in kwargs:
        kwargs["inventory"] = args[args.index("--inventory") + 1]
        assert pyjailconf.lint(path, **kwargs) == by_path


def test_inventory_rules_are_skipped_without_an_inventory(inventories, tmp_path):
    path = KB / "KB-CPU-SPIN-TABLE" / "flag.yaml"
    kwargs, _ = fixture_inputs(path, inventories, tmp_path)
    assert "KB-CPU-SPIN-TABLE" in {d.rule for d in pyjailconf.lint(path, **kwargs)}
    assert "KB-CPU-SPIN-TABLE" not in {d.rule for d in pyjailconf.lint(path)}


def test_clean_example_and_no_builtin_rules(repo):
    example = repo / "examples/qemu-virt.yaml"
    assert [d for d in pyjailconf.lint(example) if d.is_error] == []
    flag = KB / "KB-CPU0-NOT-ROOT" / "flag.yaml"
    assert "KB-CPU0-NOT-ROOT" in {d.rule for d in pyjailconf.lint(flag)}
    assert "KB-CPU0-NOT-ROOT" not in {d.rule for d in
                                      pyjailconf.lint(flag, builtin_rules=False)}
    # lint includes the checks and load errors, like check()
    bad = repo / "tests/fixtures/rules/JC-MEM-OVERLAP/bad.yaml"
    assert pyjailconf.check(bad) == [d for d in pyjailconf.lint(bad) if d.rule.startswith("JC-")]
    assert any(d.rule.startswith("JC-SCHEMA")
               for d in pyjailconf.lint(repo / "tests/fixtures/load/bad-enum.yaml"))


def test_waiver_on_a_cell(repo, confgen, tmp_path):
    flag = KB / "KB-CPU0-NOT-ROOT" / "flag.yaml"
    system = pyjailconf.load(flag)
    rt = system.find_cell("rt")
    assert list(rt.waivers) == []
    rt.waivers.append(pyjailconf.Waiver(rule="KB-CPU0-NOT-ROOT", reason="bring-up board"))
    assert rt.waivers[0].rule == "KB-CPU0-NOT-ROOT" and rt.waivers[0].reason == "bring-up board"
    assert "Waiver(rule='KB-CPU0-NOT-ROOT'" in repr(rt.waivers)
    found = [d for d in pyjailconf.lint(system) if d.rule == "KB-CPU0-NOT-ROOT"]
    assert len(found) == 1
    d = found[0]
    assert d.severity == "note" and d.suppression == "bring-up board" and d.waived
    assert "reason: bring-up board" in d.message
    assert not any(x.is_error for x in pyjailconf.lint(system))

    # round trip through YAML: the waiver is written, read back and lints the same in the CLI
    text = system.to_yaml()
    assert "waivers:" in text and "KB-CPU0-NOT-ROOT" in text
    path = tmp_path / "waived.yaml"
    path.write_text(text)
    again = pyjailconf.load(path)
    assert again == system
    assert again.find_cell("rt").waivers[0].location[0] == str(path)
    py = pyjailconf.lint(path)
    r = confgen("lint", "--format", "json", path)
    assert r.returncode == 0, r.stderr
    assert [as_cli_json(x) for x in py] == json.loads(r.stdout)["diagnostics"]
    waived = [x for x in py if x.rule == "KB-CPU0-NOT-ROOT"][0]
    assert waived.related[-1].message == "waived here"
    assert waived.related[-1].line == again.find_cell("rt").waivers[0].location[1]

    # equality sees waivers; assigning a list replaces them
    other = again.copy()
    other.find_cell("rt").waivers = []
    assert other != again
    assert [d for d in pyjailconf.lint(other) if d.rule == "KB-CPU0-NOT-ROOT"][0].severity == \
        "error"


def test_site_rules_dir(tmp_path, confgen):
    site = tmp_path / "site" / "rules"
    site.mkdir(parents=True)
    (site / "big.yaml").write_text(SITE_RULE)
    flag = KB / "KB-CPU0-NOT-ROOT" / "flag.yaml"
    found = pyjailconf.lint(flag, rules_dirs=[tmp_path / "site"])
    assert [d.line for d in found if d.rule == "KB-SITE-BIG-CELL"] == [22]  # rt's 48M ram
    assert pyjailconf.lint(flag, rules_dirs=tmp_path / "site") == found  # one directory
    r = confgen("lint", "--format", "json", "--rules-dir", tmp_path / "site", flag)
    assert [as_cli_json(d) for d in found] == json.loads(r.stdout)["diagnostics"]
    only = pyjailconf.lint(flag, rules_dirs=[tmp_path / "site"], builtin_rules=False)
    assert {d.rule for d in only if d.rule.startswith("KB-")} == {"KB-SITE-BIG-CELL"}

    listed = {r.id: r for r in pyjailconf.rules([tmp_path / "site"])}
    site_rule = listed["KB-SITE-BIG-CELL"]
    assert site_rule.kind == "kb" and site_rule.tables == ["region"]
    assert site_rule.source == f"{site / 'big.yaml'}:3"
    assert "KB-SITE-BIG-CELL" not in {r.id for r in pyjailconf.rules()}


def test_rules_match_the_cli(confgen):
    r = confgen("rules", "--format", "json")
    assert r.returncode == 0, r.stderr
    cli = json.loads(r.stdout)
    py = pyjailconf.rules()
    assert [x.id for x in py] == [x["id"] for x in cli]
    for mine, theirs in zip(py, cli):
        assert (mine.kind, mine.severity, mine.title, mine.help) == \
            (theirs["kind"], theirs["severity"], theirs["title"], theirs["help"])
        if mine.kind == "kb":
            assert mine.source == theirs["source"]
            assert (mine.tables, mine.arch, mine.needs_inventory) == \
                (theirs["tables"], theirs["arch"], theirs["needs_inventory"])
    kinds = {x.kind for x in py}
    assert kinds == {"check", "kb"}
    assert [x.id for x in pyjailconf.rules(builtin_rules=False)
            if x.kind == "kb"] == []


def test_fact_tables_match_the_cli(confgen):
    r = confgen("rules", "--facts", "--format", "json")
    cli = json.loads(r.stdout)
    tables = pyjailconf.fact_tables()
    assert [(t.name, t.doc, t.needs_inventory) for t in tables] == \
        [(t["name"], t["doc"], t["needs_inventory"]) for t in cli]
    assert [[(f.name, f.type, f.doc) for f in t.fields] for t in tables] == \
        [[(f["name"], f["type"], f["doc"]) for f in t["fields"]] for t in cli]


BROKEN_RULE = """format: jailconf-kb/1
rules:
  - id: KB-BROKEN
    severity: error
    title: t
    rationale: r
    for: {a: regoin}
    message: m
    fix: f
"""


def test_broken_rule_dir_raises_with_the_cli_locations(tmp_path, confgen):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "r.yaml").write_text(BROKEN_RULE)
    flag = KB / "KB-CPU0-NOT-ROOT" / "flag.yaml"
    with pytest.raises(pyjailconf.KnowledgeBaseError) as info:
        pyjailconf.lint(flag, rules_dirs=[bad])
    e = info.value
    assert isinstance(e, pyjailconf.JailconfError)
    assert [(d.rule, d.file, d.line) for d in e.diagnostics] == \
        [("JC-KB-RULE", str(bad / "r.yaml"), 7)]
    assert str(e).startswith(f"{bad / 'r.yaml'}:7:") and "regoin" in str(e)
    r = confgen("lint", "--format", "json", "--rules-dir", bad, flag)
    assert r.returncode == 1
    assert [as_cli_json(d) for d in e.diagnostics] == json.loads(r.stdout)["diagnostics"]
    with pytest.raises(pyjailconf.KnowledgeBaseError):
        pyjailconf.rules([bad])
    # not a directory: JC-IO, as --rules-dir
    with pytest.raises(pyjailconf.KnowledgeBaseError) as info:
        pyjailconf.lint(flag, rules_dirs=[tmp_path / "nope"])
    assert info.value.diagnostics[0].rule == "JC-IO"
    assert "is not a directory" in str(info.value)


def test_missing_and_malformed_inputs_raise(tmp_path, repo):
    flag = KB / "KB-CPU0-NOT-ROOT" / "flag.yaml"
    with pytest.raises(FileNotFoundError) as info:
        pyjailconf.lint(tmp_path / "none.yaml")
    assert info.value.filename == str(tmp_path / "none.yaml")
    with pytest.raises(FileNotFoundError):
        pyjailconf.lint(flag, inventory=tmp_path / "none-inv.yaml")
    bad_inv = tmp_path / "inv.yaml"
    bad_inv.write_text("format: jailconf-inventory/1\ncpus: 3\n")
    with pytest.raises(pyjailconf.ScanError) as scan_info:
        pyjailconf.lint(flag, inventory=bad_inv)
    assert str(bad_inv) in str(scan_info.value)
    bad_dtb = tmp_path / "bad.dtb"
    bad_dtb.write_bytes(b"\xd0\x0d\xfe\xed" + b"\0" * 12)
    with pytest.raises(pyjailconf.ScanError) as scan_info:
        pyjailconf.lint(flag, guest_dts={"rt": bad_dtb})
    assert scan_info.value.file == str(bad_dtb)
    with pytest.raises(TypeError):
        pyjailconf.lint(flag, rules_dirs=[1])
    with pytest.raises(ValueError):
        pyjailconf.lint(flag, guest_dts={"": bad_dtb})


def test_guest_dt_for_an_unknown_cell_is_reported(tmp_path):
    path = KB / "KB-GUEST-IRQ-OFF-BY-32" / "pass.yaml"
    dtb = tmp_path / "rt.dtb"
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dtb,
                    KB / "KB-GUEST-IRQ-OFF-BY-32" / "rt.dts"], check=True)
    found = pyjailconf.lint(path, guest_dts={"nosuch": dtb})
    io = [d for d in found if d.rule == "JC-IO"]
    assert len(io) == 1 and io[0].file == str(dtb) and "'nosuch'" in io[0].message


def test_lint_runs_in_threads(inventories, tmp_path):
    """The GIL is released: concurrent lints give the serial answers."""
    jobs = []
    for rule in RULE_DIRS:
        path = KB / rule / "flag.yaml"
        (tmp_path / rule).mkdir()
        kwargs, _ = fixture_inputs(path, inventories, tmp_path / rule)
        jobs.append((path, kwargs))

    def work(job):
        path, kwargs = job
        return [as_cli_json(d) for d in pyjailconf.lint(path, **kwargs)]

    serial = [work(j) for j in jobs]
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        parallel = list(pool.map(work, jobs * 2))
    assert parallel == serial * 2
