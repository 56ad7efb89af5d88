"""The package itself: it is the installed extension (not a source tree), stubs ship with it."""

import pathlib

import pyjailconf


def test_imported_from_installed_location(repo):
    where = pathlib.Path(pyjailconf.__file__).resolve()
    assert repo / "pyjailconf" not in where.parents or "site-packages" in str(where)
    assert pathlib.Path(pyjailconf._core.__file__).name.startswith("_core")


def test_stubs_and_marker_ship():
    where = pathlib.Path(pyjailconf.__file__).parent
    assert (where / "py.typed").exists()
    assert (where / "_core.pyi").exists()


def test_stub_names_match_module():
    stub = (pathlib.Path(pyjailconf.__file__).parent / "_core.pyi").read_text()
    for name in pyjailconf.__all__:
        if name.startswith("__"):
            continue
        if getattr(getattr(pyjailconf, name), "__module__", "") in ("pyjailconf.inventory",
                                                                     "pyjailconf._api"):
            continue  # pure Python, typed in its own source
        assert f"class {name}" in stub or f"def {name}(" in stub, name


def test_version():
    assert pyjailconf.__version__.count(".") == 2


def test_exception_hierarchy():
    for exc in (pyjailconf.LoadError, pyjailconf.DecodeError, pyjailconf.CompileError,
                pyjailconf.NotSupportedError, pyjailconf.KnowledgeBaseError,
                pyjailconf.PlanError, pyjailconf.GuestDeviceTreeError):
        assert issubclass(exc, pyjailconf.JailconfError)
        assert exc.__module__ == "pyjailconf"
    assert issubclass(pyjailconf.PlanError, pyjailconf.GenerateError)
    for name in ("lint", "plan", "explain", "guest_device_trees", "rules", "Waiver", "Plan",
                 "render", "KnowledgeBase", "to_json", "loads_json"):
        assert name in pyjailconf.__all__
    assert issubclass(pyjailconf.JailconfError, Exception)


def test_rules_and_schema():
    rules = pyjailconf.rules()
    ids = [r.id for r in rules]
    assert "JC-MEM-OVERLAP" in ids and len(ids) == len(set(ids))
    for r in rules:
        assert r.severity in ("error", "warning", "note")
        assert r.title and r.help
    import json

    schema = json.loads(pyjailconf.schema())
    assert "properties" in schema
