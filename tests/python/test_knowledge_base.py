"""pyjailconf.KnowledgeBase: loaded once, shared by lint/render/format_diagnostics calls and by
threads; the same findings as loading the rules per call (and as the CLI)."""

import concurrent.futures
import threading

import pytest

import pyjailconf

from test_lint import KB, RULE_DIRS, SITE_RULE, fixture_inputs, inventories  # noqa: F401


@pytest.fixture
def site(tmp_path):
    rules = tmp_path / "site" / "rules"
    rules.mkdir(parents=True)
    (rules / "big.yaml").write_text(SITE_RULE)
    return tmp_path / "site"


def test_builtin_rules_and_fact_tables():
    kb = pyjailconf.KnowledgeBase()
    assert kb.builtin_rules and kb.rules_dirs == []
    ids = [r.id for r in kb.rules]
    assert set(RULE_DIRS) <= set(ids)
    assert all(r.kind == "kb" and r.id.startswith("KB-") for r in kb.rules)
    assert len(kb) == len(ids)
    # pyjailconf.rules() is the checks, then the same kb rules
    listed = pyjailconf.rules()
    assert [r.id for r in listed if r.kind == "kb"] == ids
    assert [r.id for r in pyjailconf.rules(kb=kb)] == [r.id for r in listed]
    tables = kb.fact_tables
    assert [t.name for t in tables] == [t.name for t in pyjailconf.fact_tables()]
    assert "KnowledgeBase(rules=" in repr(kb)


def test_site_rules_and_no_builtin(site):
    kb = pyjailconf.KnowledgeBase([site])
    assert kb.rules_dirs == [site]
    assert "KB-SITE-BIG-CELL" in {r.id for r in kb.rules}
    assert pyjailconf.KnowledgeBase(site).rules_dirs == [site]  # one directory
    only = pyjailconf.KnowledgeBase(site, builtin_rules=False)
    assert [r.id for r in only.rules] == ["KB-SITE-BIG-CELL"]
    assert not only.builtin_rules
    assert pyjailconf.KnowledgeBase(builtin_rules=False).rules == []
    assert str(site) in repr(only) and "builtin_rules=False" in repr(only)


def test_lint_with_a_kb_equals_lint_with_rules_dirs(site):
    kb = pyjailconf.KnowledgeBase([site])
    for rule in RULE_DIRS[:8]:
        path = KB / rule / "flag.yaml"
        expected = pyjailconf.lint(path, rules_dirs=[site])
        assert kb.lint(path) == expected
        assert pyjailconf.lint(path, kb=kb) == expected
        assert pyjailconf.load(path).lint(kb=kb) == expected


def test_kb_and_rules_dirs_are_exclusive(site):
    kb = pyjailconf.KnowledgeBase()
    path = KB / "KB-CPU0-NOT-ROOT" / "flag.yaml"
    with pytest.raises(ValueError, match="not both"):
        pyjailconf.lint(path, kb=kb, rules_dirs=[site])
    with pytest.raises(ValueError, match="not both"):
        pyjailconf.lint(path, kb=kb, builtin_rules=False)
    with pytest.raises(TypeError, match="KnowledgeBase"):
        pyjailconf.lint(path, kb="kb/")


def test_bad_rule_file_raises_with_locations(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "r.yaml").write_text("format: jailconf-kb/1\nrules: [{id: KB-X}]\n")
    with pytest.raises(pyjailconf.KnowledgeBaseError) as e:
        pyjailconf.KnowledgeBase([bad])
    assert e.value.diagnostics and e.value.diagnostics[0].file == str(bad / "r.yaml")
    assert e.value.diagnostics[0].line == 2
    assert str(bad / "r.yaml") + ":2:" in str(e.value)


def test_concurrent_lint_with_one_kb(inventories, tmp_path):  # noqa: F811
    """Many threads lint with one KnowledgeBase (GIL released inside): the same answers as
    serial calls, whatever the interleaving."""
    kb = pyjailconf.KnowledgeBase()
    jobs = []
    for rule in RULE_DIRS:
        path = KB / rule / "flag.yaml"
        kwargs, _ = fixture_inputs(path, inventories, tmp_path)
        jobs.append((path, kwargs.get("inventory"), kwargs.get("guest_dts")))

    def work(job):
        path, inventory, guest_dts = job
        return kb.lint(path, inventory, guest_dts=guest_dts)

    serial = [work(j) for j in jobs]
    threads_seen = set()

    def tracked(job):
        threads_seen.add(threading.get_ident())
        return work(job)

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        parallel = list(pool.map(tracked, jobs * 4))
    assert parallel == serial * 4
    assert len(threads_seen) > 1
    # and render/format_diagnostics share it too
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        pages = list(pool.map(lambda j: kb.render(j[0], j[1]), jobs[:6] * 2))
    assert pages == [kb.render(j[0], j[1]) for j in jobs[:6]] * 2


def test_default_builtin_kb_is_shared_across_threads():
    path = KB / "KB-CPU0-NOT-ROOT" / "flag.yaml"
    expected = pyjailconf.lint(path)
    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        assert list(pool.map(lambda _: pyjailconf.lint(path), range(12))) == [expected] * 12
