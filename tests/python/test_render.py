"""pyjailconf.render / System.render / KnowledgeBase.render: the page `confgen render` writes,
byte for byte, for files, loaded systems, inventories and site rules; errors as exceptions."""

import pytest

import pyjailconf

from conftest import REPO
from test_lint import KB, RULE_DIRS, SITE_RULE, fixture_inputs, inventories  # noqa: F401


def cli_page(confgen, tmp_path, source, *extra):
    out = tmp_path / "map.html"
    r = confgen("render", source, "-o", out, *extra)
    assert r.returncode == 0, r.stderr
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize("source", ["examples/qemu-virt.yaml", "examples/x86-q35.yaml",
                                    "examples/split/system.yaml"])
def test_examples_are_the_cli_bytes(confgen, tmp_path, source):
    path = REPO / source
    page = pyjailconf.render(path)
    assert page == cli_page(confgen, tmp_path, path)
    assert page.startswith("<!DOCTYPE html>")
    # a loaded System gives the same page (its title is the file it came from)
    assert pyjailconf.load(path).render() == page
    assert pyjailconf.KnowledgeBase().render(path) == page


@pytest.mark.parametrize("rule", RULE_DIRS)
def test_kb_fixtures_with_their_inventories(rule, confgen, inventories, tmp_path):  # noqa: F811
    path = KB / rule / "flag.yaml"
    kwargs, args = fixture_inputs(path, inventories, tmp_path)
    args = [a for a in args if not str(a).startswith("--guest-dt")]  # render has no --guest-dt
    inventory = kwargs.get("inventory")
    if "--inventory" in args:
        inv_file = args[args.index("--inventory") + 1]
        args = ["--inventory", inv_file]
    else:
        args = []
    page = pyjailconf.render(path, inventory)
    assert page == cli_page(confgen, tmp_path, path, *args)
    assert f"<code>{rule}</code>" in page or "guest" in rule.lower()


def test_site_rules_and_title(confgen, tmp_path):
    site = tmp_path / "site" / "rules"
    site.mkdir(parents=True)
    (site / "big.yaml").write_text(SITE_RULE)
    path = KB / "KB-CPU0-NOT-ROOT" / "flag.yaml"
    page = pyjailconf.render(path, rules_dirs=[tmp_path / "site"])
    assert page == cli_page(confgen, tmp_path, path, "--rules-dir", tmp_path / "site")
    assert "<code>KB-SITE-BIG-CELL</code>" in page
    kb = pyjailconf.KnowledgeBase([tmp_path / "site"])
    assert kb.render(path) == page
    assert pyjailconf.render(path, kb=kb) == page
    titled = pyjailconf.render(path, title="board <7>")
    assert "board &lt;7&gt;" in titled and titled != page


def test_edited_system_is_rendered_as_edited(qemu_virt):
    before = qemu_virt.render()
    qemu_virt.find_cell("rt").memory[0].size *= 2
    after = qemu_virt.render()
    assert after != before
    built = pyjailconf.loads(qemu_virt.to_yaml(), "qemu-virt.yaml")
    # same model, same findings; only the source locations (and so the markers) may differ
    assert built == qemu_virt


def test_errors(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: jailconf/1\narch: arm64\nbogus: 1\n")
    with pytest.raises(pyjailconf.LoadError) as e:
        pyjailconf.render(bad)
    assert e.value.diagnostics and e.value.diagnostics[0].file == str(bad)
    with pytest.raises(FileNotFoundError):
        pyjailconf.render(tmp_path / "none.yaml")
    with pytest.raises(pyjailconf.ScanError):
        pyjailconf.render(REPO / "examples/qemu-virt.yaml", _broken_inventory(tmp_path))
    with pytest.raises(FileNotFoundError):
        pyjailconf.render(REPO / "examples/qemu-virt.yaml", tmp_path / "no-inventory.yaml")
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "r.yaml").write_text("format: jailconf-kb/1\nrules: [{id: KB-X}]\n")
    with pytest.raises(pyjailconf.KnowledgeBaseError):
        pyjailconf.render(REPO / "examples/qemu-virt.yaml", rules_dirs=[rules])


def _broken_inventory(tmp_path):
    path = tmp_path / "inventory.yaml"
    path.write_text("format: jailconf-inventory/1\ncpus: nope\n")
    return path

