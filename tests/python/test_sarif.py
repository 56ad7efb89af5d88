"""format_diagnostics(..., "sarif"): the bytes `confgen lint --format sarif` (and `confgen check
--format sarif`) print, rule metadata of every JC and KB rule and suppressions included, and a log
the official SARIF validator accepts."""

import importlib.util
import json

import pytest

import pyjailconf

from conftest import REPO
from test_lint import KB, RULE_DIRS, SITE_RULE, fixture_inputs, inventories  # noqa: F401


def _cli_helpers():
    """tests/cli/test_cli.py's sarif_validator and validate_sarif (one validator recipe)."""
    spec = importlib.util.spec_from_file_location("cli_sarif_helpers",
                                                  REPO / "tests" / "cli" / "test_cli.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.sarif_validator, module.validate_sarif


sarif_validator, validate_sarif = _cli_helpers()


def lint_both(confgen, path, kwargs, args):
    """(Python's SARIF, the CLI's stdout) for one lint run."""
    kb = pyjailconf.KnowledgeBase(kwargs.pop("rules_dirs", []))
    found = kb.lint(path, kwargs.get("inventory"), guest_dts=kwargs.get("guest_dts"))
    r = confgen("lint", "--format", "sarif", *args, path)
    assert r.returncode in (0, 1), r.stderr
    return pyjailconf.format_diagnostics(found, "sarif", kb), r.stdout, found


@pytest.mark.parametrize("rule", RULE_DIRS)
def test_lint_sarif_is_the_cli_bytes(rule, confgen, inventories, tmp_path):  # noqa: F811
    path = KB / rule / "flag.yaml"
    kwargs, args = fixture_inputs(path, inventories, tmp_path)
    ours, cli, found = lint_both(confgen, path, kwargs, args)
    assert ours == cli
    log = json.loads(ours)
    driver = log["runs"][0]["tool"]["driver"]
    ids = [r["id"] for r in driver["rules"]]
    assert rule in ids
    # every result points at its rule's metadata
    for result in log["runs"][0]["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]
    assert {d.rule for d in found} <= set(ids)


def test_default_kb_is_the_builtin_one(confgen):
    path = KB / "KB-CPU0-NOT-ROOT" / "flag.yaml"
    found = pyjailconf.lint(path)
    r = confgen("lint", "--format", "sarif", path)
    assert pyjailconf.format_diagnostics(found, "sarif") == r.stdout
    assert pyjailconf.format_diagnostics(found, "sarif", pyjailconf.KnowledgeBase()) == r.stdout


def test_rule_metadata_for_every_check_and_kb_rule(confgen):
    log = json.loads(pyjailconf.format_diagnostics([], "sarif"))
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    listed = pyjailconf.rules()
    assert list(rules) == [r.id for r in listed]
    for r in listed:
        meta = rules[r.id]
        assert meta["defaultConfiguration"]["level"] == r.severity
        assert meta["shortDescription"]["text"].rstrip(".") == r.title.rstrip(".")
        assert meta["help"]["text"] and meta["fullDescription"]["text"]
    assert {r.kind for r in listed} == {"check", "kb"}


def test_check_sarif_without_kb_rules(confgen, repo):
    bad = repo / "tests/fixtures/rules/JC-MEM-OVERLAP/bad.yaml"
    r = confgen("check", "--format", "sarif", bad)
    checks_only = pyjailconf.KnowledgeBase(builtin_rules=False)
    assert pyjailconf.format_diagnostics(pyjailconf.check(bad), "sarif", checks_only) == r.stdout
    assert checks_only.format_diagnostics(pyjailconf.check(bad), "sarif") == r.stdout


def test_waived_finding_is_a_suppression_and_site_rules_are_described(confgen, tmp_path):
    site = tmp_path / "site" / "rules"
    site.mkdir(parents=True)
    (site / "big.yaml").write_text(SITE_RULE)
    system = pyjailconf.load(KB / "KB-CPU0-NOT-ROOT" / "flag.yaml")
    system.find_cell("rt").waivers.append(
        pyjailconf.Waiver(rule="KB-CPU0-NOT-ROOT", reason="bring-up board"))
    path = tmp_path / "waived.yaml"
    path.write_text(system.to_yaml())
    ours, cli, _ = lint_both(confgen, path, {"rules_dirs": [tmp_path / "site"]},
                             ["--rules-dir", tmp_path / "site"])
    assert ours == cli
    results = json.loads(ours)["runs"][0]["results"]
    waived = [r for r in results if r["ruleId"] == "KB-CPU0-NOT-ROOT"]
    assert waived and waived[0]["suppressions"] == [
        {"kind": "inSource", "justification": "bring-up board"}]
    assert any(r["ruleId"] == "KB-SITE-BIG-CELL" for r in results)
    # the official validator accepts the log
    validate_sarif(sarif_validator(REPO), ours, tmp_path)


def test_kb_fixture_logs_pass_the_official_validator(inventories, tmp_path):  # noqa: F811
    """All flag fixtures in one log (a result for every KB rule), validated once."""
    kb = pyjailconf.KnowledgeBase()
    found = []
    for rule in RULE_DIRS:
        path = KB / rule / "flag.yaml"
        kwargs, _ = fixture_inputs(path, inventories, tmp_path)
        found += kb.lint(path, kwargs.get("inventory"), guest_dts=kwargs.get("guest_dts"))
    log = pyjailconf.format_diagnostics(found, "sarif", kb)
    assert {r["ruleId"] for r in json.loads(log)["runs"][0]["results"]} >= set(RULE_DIRS)
    validate_sarif(sarif_validator(REPO), log, tmp_path)


def test_unknown_format_and_bad_kb():
    with pytest.raises(ValueError, match="unknown format"):
        pyjailconf.format_diagnostics([], "xml")
    with pytest.raises(TypeError):
        pyjailconf.format_diagnostics([], "sarif", "kb/")
