"""pyjailconf: the jailconf model, checks and binary format from Python.

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
    Hypervisor,
    IdRange,
    IdRangeList,
    Iommu,
    IommuList,
    IrqChip,
    JailconfError,
    Link,
    LinkList,
    LoadError,
    MemoryRegion,
    MemoryRegionList,
    NotSupportedError,
    GenerateError,
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
    Watchdog,
    __version__,
    check,
    decompile,
    explain,
    format_diagnostics,
    lint,
    load,
    loads,
    render,
    rules,
    schema,
    to_yaml,
)

from .inventory import Fact, Inventory, generate, load_inventory, scan  # noqa: F401

import types as _types

# Public names: the classes and functions above, not the submodules they come from.
__all__ = [name for name, value in globals().items()
           if not name.startswith("_") and not isinstance(value, _types.ModuleType)] + ["__version__"]
