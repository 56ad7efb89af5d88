// Scanning and root-cell generation from Python. The inventory crosses the boundary as its JSON
// view (the Python Inventory class wraps it); reading it back goes through the same reader as
// `confgen generate --inventory`, so Python and the CLI accept exactly the same inventories.
#include <optional>

#include <fmt/format.h>

#include "bindings.hpp"
#include "confgen/generate.hpp"
#include "confgen/inventory_io.hpp"
#include "confgen/read_file.hpp"
#include "confgen/scan.hpp"

namespace pyjailconf {

using namespace jailconf;

namespace {

std::string scan_to_json(std::optional<std::string> root, std::optional<std::string> snapshot,
                         std::optional<std::string> dtb, std::optional<std::string> acpi,
                         const std::string& pci_ids) {
    int sources = int(root.has_value()) + int(snapshot.has_value()) + int(dtb.has_value()) +
                  int(acpi.has_value());
    if (sources > 1)
        throw py::value_error("give at most one of root, snapshot, dtb, acpi");
    std::optional<ScanError> error;
    std::string json;
    {
        py::gil_scoped_release release;
        Expected<inventory::Inventory, ScanError> inv = inventory::Inventory{};
        if (dtb) {
            inv = scan_dtb_file(*dtb);
        } else if (acpi) {
            inv = scan_acpi_directory(*acpi);
        } else {
            Expected<std::unique_ptr<MachineFiles>, ScanError> files =
                std::unique_ptr<MachineFiles>();
            if (snapshot)
                files = open_snapshot(*snapshot);
            else if (root)
                files = open_machine_directory(*root);
            else
                files = open_live_machine();
            if (files) {
                ScanOptions options;
                options.pci_ids_path = pci_ids;
                inv = scan_machine(**files, options);
            } else {
                inv = Unexpected(files.error());
            }
        }
        if (inv)
            json = inventory::to_json(*inv);
        else
            error = inv.error();
    }
    if (error)
        raise_scan_error(*error);
    return json;
}

System generate_system(const std::string& inventory_text, uint64_t hv_memory,
                       std::optional<uint64_t> hv_memory_at, const std::string& name) {
    inventory::Inventory inv = parse_inventory(inventory_text, "<inventory>");
    GenerateOptions options;
    options.hv_memory_size = hv_memory;
    options.hv_memory_phys = hv_memory_at;
    options.platform_name = name;
    std::optional<GenerateError> error;
    std::optional<GeneratedSystem> result;
    {
        py::gil_scoped_release release;
        auto g = generate_root_system(inv, options);
        if (g)
            result = std::move(*g);
        else
            error = g.error();
    }
    if (error) {
        py::handle type = errors().generate;
        py::object exc = type(fmt::format("{} (fix: {})", error->message, error->fix));
        exc.attr("fix") = error->fix;
        PyErr_SetObject(type.ptr(), exc.ptr());
        throw py::error_already_set();
    }
    return std::move(result->system);
}

} // namespace

[[noreturn]] void raise_scan_error(const ScanError& e) {
    py::handle type = errors().scan;
    py::object exc = type(e.str());
    exc.attr("file") = e.file;
    exc.attr("offset") = e.offset ? py::cast(*e.offset) : py::none();
    exc.attr("node") = e.node;
    exc.attr("fix") = e.fix;
    PyErr_SetObject(type.ptr(), exc.ptr());
    throw py::error_already_set();
}

inventory::Inventory parse_inventory(const std::string& text, const std::string& name) {
    auto inv = inventory::from_yaml(text, name);
    if (!inv)
        raise_scan_error(inv.error());
    return std::move(*inv);
}

std::optional<inventory::Inventory> read_inventory(const std::optional<std::filesystem::path>& path,
                                                   const std::optional<std::string>& text,
                                                   const std::string& name) {
    if (path && text)
        throw py::value_error("give the inventory as a path or as text, not both");
    std::optional<std::string> read_error;
    std::optional<ScanError> scan_error;
    std::optional<inventory::Inventory> out;
    {
        py::gil_scoped_release release;
        std::optional<std::string> content = text;
        if (path) {
            auto read = read_file(*path);
            if (read)
                content = std::move(*read);
            else
                read_error = read.error();
        }
        if (content) {
            auto inv = inventory::from_yaml(*content, path ? path->string() : name);
            if (inv)
                out = std::move(*inv);
            else
                scan_error = inv.error();
        }
    }
    if (read_error)
        raise_os_error(*path, *read_error);
    if (scan_error)
        raise_scan_error(*scan_error);
    return out;
}

void bind_scan(py::module_& m) {
    m.def("_scan_json", &scan_to_json, py::arg("root") = py::none(),
          py::arg("snapshot") = py::none(), py::arg("dtb") = py::none(),
          py::arg("acpi") = py::none(), py::arg("pci_ids") = "/usr/share/misc/pci.ids",
          "Scan and return the inventory's JSON view (use pyjailconf.scan)");
    m.def(
        "_inventory_yaml",
        [](const std::string& text) {
            return inventory::to_yaml(parse_inventory(text, "<inventory>"));
        },
        py::arg("text"), "Check an inventory (YAML or JSON text) and return its YAML view");
    m.def(
        "_inventory_json",
        [](const std::string& text, const std::string& name) {
            return inventory::to_json(parse_inventory(text, name));
        },
        py::arg("text"), py::arg("name"),
        "Check an inventory (YAML or JSON text) and return its JSON view");
    m.def("_generate", &generate_system, py::arg("inventory"), py::arg("hv_memory"),
          py::arg("hv_memory_at") = py::none(), py::arg("name") = "",
          "Generate a system from an inventory (use pyjailconf.generate)");
}

} // namespace pyjailconf
