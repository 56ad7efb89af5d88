"""The hardware inventory in Python: what ``confgen scan`` found, as attribute-access objects.

The C++ scanner produces the inventory; Python receives its JSON view (the keys of
docs/inventory.md) and wraps it. Writing it back (``to_yaml``, ``save``) and ``generate`` send it
through the same C++ reader as ``confgen generate --inventory``, so a modified inventory is
checked exactly as the CLI would check it.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Iterator, List, Optional, Union

from . import _core

_PathLike = Union[str, "os.PathLike[str]"]


class Fact:
    """One inventory mapping (a CPU, a PCI function, an origin, ...): keys are attributes.

    Keys the scan left out (empty lists and strings, absent optionals) read as ``None``.
    """

    __slots__ = ("_data",)

    def __init__(self, data: Dict[str, Any]):
        object.__setattr__(self, "_data", data)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return _wrap(self._data.get(name))

    def __setattr__(self, name: str, value: Any) -> None:
        self._data[name] = _unwrap(value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Fact) and self._data == other._data

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self._data.items() if k != "origin")
        return f"Fact({inner})"

    def keys(self) -> List[str]:
        return list(self._data)

    def to_dict(self) -> Dict[str, Any]:
        return json.loads(json.dumps(self._data))


def _wrap(value: Any) -> Any:
    if isinstance(value, dict):
        return Fact(value)
    if isinstance(value, list):
        return _FactList(value)
    return value


def _unwrap(value: Any) -> Any:
    if isinstance(value, Fact):
        return value._data
    if isinstance(value, _FactList):
        return value._items
    return value


class _FactList:
    """A list of facts; changes go to the inventory it belongs to."""

    __slots__ = ("_items",)

    def __init__(self, items: List[Any]):
        self._items = items

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, i: int) -> Any:
        return _wrap(self._items[i])

    def __iter__(self) -> Iterator[Any]:
        return (_wrap(x) for x in self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _FactList):
            return self._items == other._items
        return isinstance(other, list) and self._items == [_unwrap(x) for x in other]

    def append(self, value: Any) -> None:
        self._items.append(_unwrap(value))

    def remove(self, value: Any) -> None:
        self._items.remove(_unwrap(value))

    def __delitem__(self, i: int) -> None:
        del self._items[i]

    def __repr__(self) -> str:
        return repr([_wrap(x) for x in self._items])


class Inventory(Fact):
    """A scanned machine: ``inv.cpus``, ``inv.pci``, ``inv.memory``, ``inv.warnings``, ...

    Every list is empty rather than ``None`` at the top level, so ``for f in inv.pci`` works on
    any machine.
    """

    __slots__ = ("_source",)

    _LISTS = ("cpus", "memory", "reserved", "timers", "consoles", "pci_hosts", "iommus",
              "devices", "pci", "iomem", "ioports", "warnings")

    def __init__(self, data: Dict[str, Any], source: Optional[str] = None):
        super().__init__(data)
        # The file it was read from, named in plan headers and error locations as by the CLI.
        object.__setattr__(self, "_source", source)
        for key in self._LISTS:
            data.setdefault(key, [])

    @classmethod
    def from_text(cls, text: str, name: str = "<inventory>") -> "Inventory":
        """Read the YAML or JSON that ``confgen scan`` writes (raises ScanError if malformed)."""
        return cls(json.loads(_core._inventory_json(text, name)), name)

    def to_json(self) -> str:
        return _core._inventory_json(json.dumps(self._data), "<inventory>")

    def to_yaml(self) -> str:
        return _core._inventory_yaml(json.dumps(self._data))

    def save(self, path: _PathLike) -> None:
        """Write YAML, or JSON when the name ends in .json (what ``confgen generate`` reads)."""
        path = os.fspath(path)
        text = self.to_json() if path.endswith(".json") else self.to_yaml()
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)

    def __repr__(self) -> str:
        machine = self._data.get("machine", {})
        return (f"Inventory({machine.get('arch', '?')}, {machine.get('model', '')!r}: "
                f"{len(self._data['cpus'])} CPUs, {len(self._data['pci'])} PCI functions, "
                f"{len(self._data['devices'])} devices, {len(self._data['warnings'])} warnings)")


def scan(*, root: Optional[_PathLike] = None, snapshot: Optional[_PathLike] = None,
         dtb: Optional[_PathLike] = None, acpi: Optional[_PathLike] = None,
         pci_ids: _PathLike = "/usr/share/misc/pci.ids") -> Inventory:
    """Scan this machine (no argument), a snapshot tar, a copied tree, a DTB or ACPI tables.

    The GIL is released while the C++ scanner runs. Raises ScanError (``file``, ``offset``,
    ``node``, ``fix``) for unreadable or malformed input.
    """
    def opt(p: Optional[_PathLike]) -> Optional[str]:
        return None if p is None else os.fspath(p)

    text = _core._scan_json(root=opt(root), snapshot=opt(snapshot), dtb=opt(dtb), acpi=opt(acpi),
                            pci_ids=os.fspath(pci_ids))
    return Inventory(json.loads(text))


def load_inventory(path: _PathLike) -> Inventory:
    """Read an inventory file written by ``confgen scan -o`` (YAML or JSON)."""
    path = os.fspath(path)
    with open(path, encoding="utf-8") as f:
        return Inventory.from_text(f.read(), path)


def generate(inventory: Union[Inventory, _PathLike], *, hv_memory: int = 64 << 20,
             hv_memory_at: Optional[int] = None, name: str = "",
             request: Optional[_PathLike] = None) -> "_core.System":
    """The system for a scanned machine: hypervisor memory and a confined root cell.

    Same as ``confgen generate --inventory``; raises GenerateError. With ``request`` (a partition
    request file) the planner carves the requested cells and links out of the root cell, as
    ``confgen generate --request``: this is ``plan(inventory, request, ...).system`` (PlanError,
    a GenerateError, when the request is invalid or impossible).
    """
    if request is not None:
        from ._api import plan

        return plan(inventory, request, hv_memory=hv_memory, hv_memory_at=hv_memory_at,
                    name=name).system
    if not isinstance(inventory, Inventory):
        inventory = load_inventory(inventory)
    return _core._generate(json.dumps(inventory._data), hv_memory, hv_memory_at, name)
