// Shared declarations of the pyjailconf binding: the opaque list types (mutable in place from
// Python), the exception classes and the per-topic registration functions.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <pybind11/pybind11.h>

#include "confgen/diagnostics.hpp"
#include "confgen/inventory.hpp"
#include "confgen/model.hpp"
#include "confgen/scan_error.hpp"

// Lists of model elements are bound as opaque vectors so that `cell.memory.append(r)` and
// `system.cells[0].name = "x"` change the model itself rather than a converted copy.
PYBIND11_MAKE_OPAQUE(std::vector<jailconf::Cell>)
PYBIND11_MAKE_OPAQUE(std::vector<jailconf::MemoryRegion>)
PYBIND11_MAKE_OPAQUE(std::vector<jailconf::IdRange>)
PYBIND11_MAKE_OPAQUE(std::vector<jailconf::PciDevice>)
PYBIND11_MAKE_OPAQUE(std::vector<jailconf::PciBar>)
PYBIND11_MAKE_OPAQUE(std::vector<jailconf::PciCap>)
PYBIND11_MAKE_OPAQUE(std::vector<jailconf::StreamId>)
PYBIND11_MAKE_OPAQUE(std::vector<jailconf::PioRange>)
PYBIND11_MAKE_OPAQUE(std::vector<jailconf::PlatformCpu>)
PYBIND11_MAKE_OPAQUE(std::vector<jailconf::Iommu>)
PYBIND11_MAKE_OPAQUE(std::vector<jailconf::Link>)
PYBIND11_MAKE_OPAQUE(std::vector<jailconf::Waiver>)

// After the opaque declarations, so every translation unit sees the same casters.
#include <pybind11/stl.h>

namespace pyjailconf {

namespace py = pybind11;

// The exception classes, created once by the module init (JailconfError and its subclasses).
struct Errors {
    py::handle base, load, decode, compile, not_supported, scan, generate, knowledge_base, plan,
        guest_dt;
};
Errors& errors();

// Raises `type(message)` with `diagnostics` attached as an attribute (a list of Diagnostic).
[[noreturn]] void raise_with_diagnostics(py::handle type, const std::string& message,
                                         const std::vector<jailconf::Diagnostic>& diags);
// "file:line:col: error: [RULE] message" lines for the errors in `diags`, as the CLI prints them.
std::string error_lines(const std::vector<jailconf::Diagnostic>& diags);
// ScanError(e.str()) with `file`, `offset`, `node` and `fix` attributes.
[[noreturn]] void raise_scan_error(const jailconf::ScanError& e);
// FileNotFoundError when `path` does not exist, OSError otherwise, with `message`.
[[noreturn]] void raise_os_error(const std::filesystem::path& path, const std::string& message);
// NotSupportedError(message).
[[noreturn]] void raise_not_supported(const std::string& message);
// An inventory (YAML or JSON text, as `confgen scan` writes it) through the CLI's reader;
// ScanError when malformed. `name` appears in error locations.
jailconf::inventory::Inventory parse_inventory(const std::string& text, const std::string& name);
// The inventory given as a file (read as `confgen ... --inventory FILE` reads it; OSError when it
// cannot be read) or as text named `name`; nullopt when neither is given. GIL released.
std::optional<jailconf::inventory::Inventory>
read_inventory(const std::optional<std::filesystem::path>& path,
               const std::optional<std::string>& text, const std::string& name);

void bind_model(py::module_& m);
void bind_diagnostics(py::module_& m);
void bind_functions(py::module_& m);
void bind_scan(py::module_& m);
void bind_lint(py::module_& m);
void bind_plan(py::module_& m);
void bind_guest_dt(py::module_& m);
void bind_knowledge_base(py::module_& m);
void bind_render(py::module_& m);

} // namespace pyjailconf

namespace pyjailconf {
// A copy of a model object taken while the GIL is held, to work on once it is released: another
// thread may change the caller's object meanwhile. (A named helper, so the copy reads as intended.)
template <class T> T snapshot(const T& value) {
    return value;
}

// Python's repr of a string ('text' with escapes), for __repr__ implementations.
inline std::string q(const std::string& s) {
    return py::repr(py::str(s)).cast<std::string>();
}
} // namespace pyjailconf
