"""lint, render, rules, plan, explain and guest device trees: argument handling around ``_core``.

Only arguments are shaped here (paths, Inventory objects, dicts); loading, the checks, the kb
rules, the page renderer, the planner and the device-tree builder all run in the C++ library, as
for the CLI.
"""

from __future__ import annotations

import json
import os
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from . import _core
from .inventory import Inventory

_PathLike = Union[str, "os.PathLike[str]"]
_InventoryArg = Union[Inventory, _PathLike, None]


def _inventory_args(inventory: _InventoryArg) -> Tuple[Optional[str], Optional[str], str]:
    """(path, text, name) for the C++ reader: a file is read as the CLI reads --inventory."""
    if inventory is None:
        return None, None, ""
    if isinstance(inventory, Inventory):
        return None, json.dumps(inventory._data), inventory._source or "<inventory>"
    return os.fspath(inventory), None, ""


def _paths(value: Union[_PathLike, Iterable[_PathLike], None]) -> List[str]:
    if value is None:
        return []
    if isinstance(value, (str, bytes, os.PathLike)):
        return [os.fspath(value)]  # one directory
    return [os.fspath(v) for v in value]


def _knowledge_base(kb: Optional[_core.KnowledgeBase],
                    rules_dirs: Union[_PathLike, Sequence[_PathLike]],
                    builtin_rules: bool) -> _core.KnowledgeBase:
    """The KnowledgeBase to use: ``kb``, or one loaded from ``rules_dirs``/``builtin_rules`` (the
    built-in kb/ alone is loaded once and shared)."""
    dirs = _paths(rules_dirs)
    if kb is not None:
        if dirs or not builtin_rules:
            raise ValueError("give kb or rules_dirs/builtin_rules, not both")
        if not isinstance(kb, _core.KnowledgeBase):
            raise TypeError(f"kb must be a KnowledgeBase, not {type(kb).__name__}")
        return kb
    if not dirs and builtin_rules:
        return _core._builtin_knowledge_base()
    return _core.KnowledgeBase(dirs, builtin_rules=builtin_rules)


def _target(target: Union[_core.System, _PathLike]) -> Union[_core.System, str]:
    return target if isinstance(target, _core.System) else os.fspath(target)


def lint(target: Union[_core.System, _PathLike], inventory: _InventoryArg = None, *,
         rules_dirs: Union[_PathLike, Sequence[_PathLike]] = (),
         guest_dts: Optional[Mapping[str, _PathLike]] = None,
         builtin_rules: bool = True,
         kb: Optional[_core.KnowledgeBase] = None) -> List[_core.Diagnostic]:
    """Schema, semantic checks and knowledge-base rules, as ``confgen lint``.

    ``target`` is a System or a YAML/JSON file (whose load errors are returned as diagnostics,
    as check() does). ``inventory`` (an Inventory or the file ``confgen scan -o`` wrote) enables
    the rules that judge scanned facts; ``rules_dirs`` adds site rule directories
    (``--rules-dir``), ``builtin_rules=False`` drops the shipped kb/ (``--no-builtin-rules``),
    ``guest_dts`` maps cell names to the device tree blobs their guests boot with
    (``--guest-dt CELL=FILE``). ``kb`` is a KnowledgeBase loaded once (instead of
    ``rules_dirs``/``builtin_rules``): reuse it to lint many systems. Returns the diagnostics
    sorted by location; a finding a cell waives is a note whose ``suppression`` is the waiver's
    reason.

    Raises KnowledgeBaseError (a rule file is wrong; ``diagnostics`` says where), ScanError (a
    malformed inventory or guest device tree), OSError/FileNotFoundError (an unreadable file).
    The GIL is released while the files are read and the rules run.
    """
    knowledge = _knowledge_base(kb, rules_dirs, builtin_rules)
    inv_path, inv_text, inv_name = _inventory_args(inventory)
    trees = [(str(cell), os.fspath(path)) for cell, path in (guest_dts or {}).items()]
    return _core._lint(_target(target), knowledge, inv_path, inv_text, inv_name, trees)


def render(target: Union[_core.System, _PathLike], inventory: _InventoryArg = None, *,
           rules_dirs: Union[_PathLike, Sequence[_PathLike]] = (),
           builtin_rules: bool = True,
           kb: Optional[_core.KnowledgeBase] = None,
           title: Optional[str] = None) -> str:
    """The resource map as one self-contained HTML page, as ``confgen render FILE -o map.html``.

    The page draws the physical address map, CPUs, interrupts, PCI devices and stream ids per
    cell with the check and lint findings marked (docs/render.md). ``target`` is a System or a
    YAML/JSON file; ``inventory``, ``rules_dirs``, ``builtin_rules`` and ``kb`` are as for
    lint(). ``title`` defaults to the file name the system was loaded from, as the CLI's. The
    page is produced whatever the findings; a file that does not load raises LoadError (with
    ``diagnostics``) or OSError/FileNotFoundError, a bad rule file KnowledgeBaseError, a bad
    inventory ScanError. The GIL is released while the page is built.
    """
    knowledge = _knowledge_base(kb, rules_dirs, builtin_rules)
    inv_path, inv_text, inv_name = _inventory_args(inventory)
    return _core._render(_target(target), knowledge, inv_path, inv_text, inv_name, title)


def rules(rules_dirs: Union[_PathLike, Sequence[_PathLike]] = (), *,
          builtin_rules: bool = True,
          kb: Optional[_core.KnowledgeBase] = None) -> List[_core.Rule]:
    """Every rule: the checks (``kind == 'check'``) and the kb rules (``kind == 'kb'``) of the
    built-in kb/ and of ``rules_dirs`` (or of ``kb``), as ``confgen rules --rules-dir``.
    KnowledgeBaseError."""
    return _core.rules(_knowledge_base(kb, rules_dirs, builtin_rules))


def plan(inventory: Union[Inventory, _PathLike], request: Optional[_PathLike] = None, *,
         request_text: Optional[str] = None, request_name: str = "<request>",
         hv_memory: Optional[int] = None, hv_memory_at: Optional[int] = None,
         name: str = "") -> _core.Plan:
    """The partition planner, as ``confgen generate --inventory I --request R``.

    ``request`` is a request file (docs/request.md), or give its YAML as ``request_text`` (named
    ``request_name`` in locations). ``hv_memory`` (default 64 MiB) and ``hv_memory_at`` are
    ``--hv-memory`` and ``--hv-memory-at``; the request's own ``hypervisor:`` wins over them.
    Returns a Plan: ``system``, ``provenance``, ``notes``, ``diagnostics`` (warnings),
    ``files()`` (what the CLI writes) and ``explain()``.

    Raises PlanError (a GenerateError) with the JC-PLAN-* or schema errors at the request's
    lines in ``diagnostics``; FileNotFoundError/OSError; ScanError for a malformed inventory.
    """
    if (request is None) == (request_text is None):
        raise ValueError("give request (a file) or request_text, exactly one")
    inv_path, inv_text, inv_name = _inventory_args(inventory)
    return _core._plan(inv_path, inv_text, inv_name,
                       None if request is None else os.fspath(request), request_text,
                       request_name, hv_memory, hv_memory_at, name)


_Provenance = Union[_core.Plan, Sequence[_core.Provenance], _PathLike, None]


def explain(target: Union[_core.System, _core.Plan, _PathLike], resource: Optional[str] = None,
            *, provenance: _Provenance = None) -> List[_core.Explained]:
    """Where each resource of each cell came from, as ``confgen explain``.

    ``target`` is a Plan, a System, or a YAML file (then ``provenance.yaml`` beside it is read
    when the planner wrote one, as the CLI does). ``provenance`` overrides that: a Plan, a list
    of Provenance or a provenance.yaml path. ``resource`` filters as ``--resource`` (CELL,
    CELL.KIND, CELL.memory.NAME, KIND, a link, 0xADDR, irq:N, cpu:N, sid:N, a BDF, a number);
    a malformed filter raises ValueError. Each Explained has ``provenance`` None when the
    resource was written by hand.
    """
    if isinstance(target, _core.Plan):
        system, found = target.system, list(target.provenance)
    elif isinstance(target, _core.System):
        system, found = target, []
    else:
        path = os.fspath(target)
        system = _core.load(path)
        beside = os.path.join(os.path.dirname(path), "provenance.yaml")
        found = _core.load_provenance(beside) if os.path.exists(beside) else []
    if isinstance(provenance, _core.Plan):
        found = list(provenance.provenance)
    elif isinstance(provenance, (str, bytes, os.PathLike)):
        found = _core.load_provenance(os.fspath(provenance))
    elif provenance is not None:
        found = list(provenance)
    return _core._explain(system, found, resource)


def guest_device_trees(system: _core.System, inventory: Union[Inventory, _PathLike], *,
                       host_dtb: Optional[_PathLike] = None,
                       cell: Optional[str] = None) -> Dict[str, _core.GuestDeviceTree]:
    """The device tree each cell's guest boots with, as ``confgen guest-dt``.

    Returns ``{cell name: GuestDeviceTree}``; each unpacks as ``dts, dtb = trees["rt"]`` (DTS
    text, DTB bytes) and has ``notes``. ``inventory`` is the machine's Inventory or inventory
    file; ``host_dtb`` the host's device tree blob (devices' plain properties and fixed clocks
    are copied from it); ``cell`` limits the result to one cell (ValueError if there is none).

    Raises GuestDeviceTreeError (``fix``; ``diagnostics`` when the system has check errors),
    NotSupportedError (not arm64), ScanError, OSError.
    """
    inv_path, inv_text, inv_name = _inventory_args(inventory)
    return _core._guest_device_trees(system, inv_path, inv_text, inv_name,
                                     None if host_dtb is None else os.fspath(host_dtb), cell)


def _system_guest_device_trees(self: _core.System, inventory: Union[Inventory, _PathLike],
                               host_dtb: Optional[_PathLike] = None,
                               cell: Optional[str] = None) -> Dict[str, _core.GuestDeviceTree]:
    return guest_device_trees(self, inventory, host_dtb=host_dtb, cell=cell)


_system_guest_device_trees.__doc__ = guest_device_trees.__doc__
_system_guest_device_trees.__name__ = "guest_device_trees"
_core.System.guest_device_trees = _system_guest_device_trees  # type: ignore[attr-defined]
_core.System.lint = lambda self, inventory=None, **kwargs: lint(self, inventory, **kwargs)  # type: ignore
_core.System.lint.__doc__ = "lint(self, inventory=None, **kwargs): see pyjailconf.lint"
_core.System.render = lambda self, inventory=None, **kwargs: render(self, inventory, **kwargs)  # type: ignore
_core.System.render.__doc__ = "render(self, inventory=None, **kwargs) -> str: see pyjailconf.render"


def _kb_lint(self: _core.KnowledgeBase, target: Union[_core.System, _PathLike],
             inventory: _InventoryArg = None, *,
             guest_dts: Optional[Mapping[str, _PathLike]] = None) -> List[_core.Diagnostic]:
    """lint(target, inventory=None, guest_dts=None) with this knowledge base: see
    pyjailconf.lint. Safe to call from several threads at once."""
    return lint(target, inventory, guest_dts=guest_dts, kb=self)


def _kb_render(self: _core.KnowledgeBase, target: Union[_core.System, _PathLike],
               inventory: _InventoryArg = None, *, title: Optional[str] = None) -> str:
    """render(target, inventory=None, title=None) with this knowledge base: see
    pyjailconf.render."""
    return render(target, inventory, kb=self, title=title)


def _kb_format_diagnostics(self: _core.KnowledgeBase, diagnostics: Sequence[_core.Diagnostic],
                           format: str = "text") -> str:
    """format_diagnostics(diagnostics, format) describing this knowledge base's rules in SARIF
    (as ``confgen lint --rules-dir ... --format sarif``)."""
    return _core.format_diagnostics(list(diagnostics), format, self)


_kb_lint.__name__ = "lint"
_kb_render.__name__ = "render"
_kb_format_diagnostics.__name__ = "format_diagnostics"
_core.KnowledgeBase.lint = _kb_lint  # type: ignore[attr-defined]
_core.KnowledgeBase.render = _kb_render  # type: ignore[attr-defined]
_core.KnowledgeBase.format_diagnostics = _kb_format_diagnostics  # type: ignore[attr-defined]
