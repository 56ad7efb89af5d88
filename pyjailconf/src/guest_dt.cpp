// Guest device trees per cell (`confgen guest-dt`): for each cell the DTS text and the DTB bytes
// of the tree its guest boots with, built by confgen/guest_dt.hpp with the GIL released.
#include <filesystem>
#include <optional>

#include <fmt/format.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "bindings.hpp"
#include "confgen/check.hpp"
#include "confgen/guest_dt.hpp"
#include "confgen/read_file.hpp"

namespace pyjailconf {

using namespace jailconf;
namespace fs = std::filesystem;
namespace gdt = jailconf::guest_dt;

namespace {

struct GuestTree {
    std::string cell;
    std::string dts;
    std::vector<uint8_t> dtb;
    std::vector<std::string> notes;
};

py::bytes to_bytes(const std::vector<uint8_t>& data) {
    return py::bytes(reinterpret_cast<const char*>(data.data()), data.size());
}

// GuestDeviceTreeError with `fix` (and `diagnostics` when the system fails its checks).
[[noreturn]] void raise_guest_dt_error(const std::string& message, const std::string& fix,
                                       const std::vector<Diagnostic>& diags) {
    py::handle type = errors().guest_dt;
    py::object exc = type(fix.empty() ? message : fmt::format("{} (fix: {})", message, fix));
    exc.attr("fix") = fix;
    exc.attr("diagnostics") = py::cast(diags);
    PyErr_SetObject(type.ptr(), exc.ptr());
    throw py::error_already_set();
}

std::vector<GuestTree>
build_trees(const System& system, const std::optional<fs::path>& inventory_path,
            const std::optional<std::string>& inventory_text, const std::string& inventory_name,
            const std::optional<fs::path>& host_dtb, const std::optional<std::string>& only_cell) {
    System copy = system; // the caller's object may change once the GIL is released
    // As `confgen guest-dt`: only a system without errors gets device trees.
    Diagnostics diags;
    {
        py::gil_scoped_release release;
        check_system(copy, diags);
        diags.sort();
    }
    if (diags.has_errors())
        raise_guest_dt_error("the system has errors:\n" + error_lines(diags.all()),
                             "fix the errors check() reports", diags.all());
    if (copy.arch != Arch::arm64)
        raise_not_supported(
            fmt::format("not supported yet: guest device trees for {}", to_string(copy.arch)));
    std::vector<const Cell*> cells;
    for (const auto& c : copy.cells)
        if (!only_cell || c.name == *only_cell)
            cells.push_back(&c);
    if (cells.empty()) {
        std::string names;
        for (const auto& c : copy.cells)
            names += (names.empty() ? "" : ", ") + c.name;
        throw py::value_error(
            fmt::format("no cell '{}' (cells: {})", only_cell.value_or(""), names));
    }
    auto inv = read_inventory(inventory_path, inventory_text, inventory_name);
    if (!inv)
        throw py::value_error("an inventory is needed");

    std::optional<std::string> read_error;
    std::optional<ScanError> scan_error;
    std::optional<gdt::Error> error;
    std::string error_cell;
    std::vector<GuestTree> out;
    {
        py::gil_scoped_release release;
        std::optional<gdt::HostTree> host;
        if (host_dtb) {
            auto blob = read_file(*host_dtb);
            if (!blob) {
                read_error = blob.error();
            } else {
                auto parsed = gdt::HostTree::parse(*blob, host_dtb->string());
                if (parsed)
                    host = std::move(*parsed);
                else
                    scan_error = parsed.error();
            }
        }
        for (size_t i = 0; i < cells.size() && !read_error && !scan_error && !error; ++i) {
            const Cell& cell = *cells[i];
            auto tree = gdt::build_tree(copy, cell, *inv, host ? &*host : nullptr);
            if (!tree) {
                error = tree.error();
                error_cell = cell.name;
                break;
            }
            auto blob = gdt::to_dtb(*tree);
            if (!blob) {
                error = blob.error();
                error_cell = cell.name;
                break;
            }
            out.push_back(
                GuestTree{cell.name, gdt::to_dts(*tree), std::move(*blob), std::move(tree->notes)});
        }
    }
    if (read_error)
        raise_os_error(*host_dtb, *read_error);
    if (scan_error)
        raise_scan_error(*scan_error);
    if (error) {
        if (error->kind == gdt::Error::Kind::unsupported)
            raise_not_supported(error->message);
        // The CLI's wording: the message names the cell.
        std::string who = fmt::format("cell '{}'", error_cell);
        std::string message = error->message.find(who) == std::string::npos
                                  ? who + ": " + error->message
                                  : error->message;
        raise_guest_dt_error(message, error->fix, {});
    }
    return out;
}

} // namespace

void bind_guest_dt(py::module_& m) {
    py::class_<GuestTree>(m, "GuestDeviceTree",
                          "The device tree of one cell's guest: `dts` (source text) and `dtb` "
                          "(flattened blob) of the same tree; `dts, dtb = tree` unpacks")
        .def_readonly("cell", &GuestTree::cell)
        .def_readonly("dts", &GuestTree::dts, "DTS source (`dtc -I dts` gives the same tree)")
        .def_property_readonly(
            "dtb", [](const GuestTree& t) { return to_bytes(t.dtb); },
            "The flattened device tree (version 17), deterministic")
        .def_readonly("notes", &GuestTree::notes, "What was left out or assumed, one line each")
        .def("__iter__",
             [](const GuestTree& t) {
                 return py::iter(py::make_tuple(py::str(t.dts), to_bytes(t.dtb)));
             })
        .def("__len__", [](const GuestTree&) { return 2; })
        .def("__getitem__",
             [](const GuestTree& t, int i) -> py::object {
                 if (i == 0 || i == -2)
                     return py::str(t.dts);
                 if (i == 1 || i == -1)
                     return to_bytes(t.dtb);
                 throw py::index_error("a GuestDeviceTree is (dts, dtb)");
             })
        .def("__repr__", [](const GuestTree& t) {
            return fmt::format("GuestDeviceTree(cell={}, dts={} chars, dtb={} bytes, notes={})",
                               q(t.cell), t.dts.size(), t.dtb.size(), t.notes.size());
        });

    m.def(
        "_guest_device_trees",
        [](const System& system, const std::optional<fs::path>& inventory_path,
           const std::optional<std::string>& inventory_text, const std::string& inventory_name,
           const std::optional<fs::path>& host_dtb, const std::optional<std::string>& cell) {
            py::dict out;
            for (auto& t : build_trees(system, inventory_path, inventory_text, inventory_name,
                                       host_dtb, cell)) {
                std::string name = t.cell;
                out[py::str(name)] = py::cast(std::move(t));
            }
            return out;
        },
        py::arg("system"), py::arg("inventory_path"), py::arg("inventory_text"),
        py::arg("inventory_name"), py::arg("host_dtb"), py::arg("cell"),
        "Guest device trees of a System (use System.guest_device_trees)");
}

} // namespace pyjailconf
