"""pyjailconf: the jailconf model, checks, kb lint, planner and binary format from Python.

Everything goes through the same C++ library as the ``confgen`` CLI (the extension module
``pyjailconf._core``); see docs/python.md.
"""

from ._core import (  # noqa: F401
    Blob,
    Cell,
    CellList,
    CompileError,
    Console,
    DecodeError,
    Diagnostic,
    Explained,
    FactField,
    FactTable,
    GuestDeviceTree,
    GuestDeviceTreeError,
    Hypervisor,
    IdRange,
    IdRangeList,
    Iommu,
    IommuList,
    IrqChip,
    JailconfError,
    KnowledgeBase,
    KnowledgeBaseError,
    Link,
    LinkList,
    LoadError,
    MemoryRegion,
    MemoryRegionList,
    NotSupportedError,
    GenerateError,
    Plan,
    PlanError,
    Provenance,
    ScanError,
    PciBar,
    PciBarList,
    PciCap,
    PciCapList,
    PciDevice,
    PciDeviceList,
    PciHost,
    PciMsi,
    PciMsix,
    PioRange,
    PioRangeList,
    Platform,
    PlatformCpu,
    PlatformCpuList,
    RelatedLocation,
    Rule,
    StreamId,
    StreamIdList,
    System,
    Waiver,
    WaiverList,
    Watchdog,
    __version__,
    check,
    decompile,
    fact_tables,
    format_diagnostics,
    format_explanation,
    load,
    load_provenance,
    loads,
    loads_json,
    schema,
    to_json,
    to_yaml,
)

from .inventory import Fact, Inventory, generate, load_inventory, scan  # noqa: F401
from ._api import explain, guest_device_trees, lint, plan, render, rules  # noqa: F401

import types as _types

# Public names: the classes and functions above, not the submodules they come from.
__all__ = [name for name, value in globals().items()
           if not name.startswith("_") and not isinstance(value, _types.ModuleType)] + ["__version__"]
