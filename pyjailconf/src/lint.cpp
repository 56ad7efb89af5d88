// lint (schema, checks and the knowledge-base rules of a KnowledgeBase, as `confgen lint`) and the
// fact tables kb rules are written against. Inputs are read and the rules run with the GIL
// released; errors become Python exceptions afterwards.
#include <filesystem>
#include <optional>
#include <utility>

#include <fmt/format.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "bindings.hpp"
#include "confgen/check.hpp"
#include "confgen/lint.hpp"
#include "confgen/load.hpp"
#include "confgen/scan.hpp"
#include "knowledge_base.hpp"

namespace pyjailconf {

using namespace jailconf;
namespace fs = std::filesystem;

namespace {

// What lint reads besides the system; everything is parsed before the rules run.
struct LintInputs {
    std::optional<fs::path> inventory_path;
    std::optional<std::string> inventory_text; // YAML or JSON, named inventory_name
    std::string inventory_name;
    std::vector<std::pair<std::string, fs::path>> guest_dts; // cell, device tree blob
};

struct Prepared {
    std::optional<inventory::Inventory> inventory;
    LintOptions options;
};

void prepare(const LintInputs& in, Prepared& out) {
    out.inventory = read_inventory(in.inventory_path, in.inventory_text, in.inventory_name);
    std::optional<ScanError> scan_error;
    {
        py::gil_scoped_release release;
        for (size_t i = 0; i < in.guest_dts.size() && !scan_error; ++i) {
            const auto& [cell, file] = in.guest_dts[i];
            auto tree = scan_dtb_file(file);
            if (tree)
                out.options.guest_trees.push_back({cell, file.string(), std::move(*tree)});
            else
                scan_error = tree.error();
        }
    }
    if (scan_error)
        raise_scan_error(*scan_error);
    if (out.inventory)
        out.options.inventory = &*out.inventory;
}

// The kb rules over one loaded system, after the checks, as `confgen lint` runs them per file.
// Called with the GIL released.
void lint_loaded(const System& system, const KnowledgeBase& kb, const LintOptions& options,
                 Diagnostics& diags) {
    check_system(system, diags);
    for (const auto& g : options.guest_trees)
        if (!system.find_cell(g.cell))
            diags.report(
                "JC-IO", SourceLocation{g.file, 0, 0},
                fmt::format("--guest-dt names cell '{}', which the system does not have", g.cell),
                "name a cell of the system");
    lint_system(system, kb, options, diags);
}

std::vector<Diagnostic> lint_model(const System& system, const PyKnowledgeBase& knowledge,
                                   const LintInputs& inputs) {
    std::shared_ptr<const KnowledgeBase> kb = knowledge.kb; // alive while the GIL is released
    Prepared prepared;
    prepare(inputs, prepared);
    const System copy = snapshot(system); // the caller's object may change once the GIL is released
    Diagnostics diags;
    {
        py::gil_scoped_release release;
        lint_loaded(copy, *kb, prepared.options, diags);
        diags.sort();
    }
    return diags.all();
}

std::vector<Diagnostic> lint_file(const fs::path& path, const PyKnowledgeBase& knowledge,
                                  const LintInputs& inputs) {
    std::shared_ptr<const KnowledgeBase> kb = knowledge.kb;
    Prepared prepared;
    prepare(inputs, prepared);
    Diagnostics diags;
    bool io_failure = false;
    {
        py::gil_scoped_release release;
        auto system = load_system(path, diags);
        if (system)
            lint_loaded(*system, *kb, prepared.options, diags);
        else
            io_failure = system.error() == LoadFailure::io;
        diags.sort();
    }
    if (io_failure)
        raise_os_error(path, diags.empty() ? "cannot read file" : diags.all().front().message);
    return diags.all();
}

LintInputs make_inputs(std::optional<fs::path> inventory_path,
                       std::optional<std::string> inventory_text, std::string inventory_name,
                       std::vector<std::pair<std::string, fs::path>> guest_dts) {
    for (const auto& g : guest_dts)
        if (g.first.empty())
            throw py::value_error("guest_dts: a cell name is empty");
    return LintInputs{std::move(inventory_path), std::move(inventory_text),
                      std::move(inventory_name), std::move(guest_dts)};
}

} // namespace

void bind_lint(py::module_& m) {
    m.def(
        "_lint",
        [](const System& system, const PyKnowledgeBase& kb, std::optional<fs::path> inventory_path,
           std::optional<std::string> inventory_text, std::string inventory_name,
           std::vector<std::pair<std::string, fs::path>> guest_dts) {
            return lint_model(system, kb,
                              make_inputs(std::move(inventory_path), std::move(inventory_text),
                                          std::move(inventory_name), std::move(guest_dts)));
        },
        py::arg("system"), py::arg("kb"), py::arg("inventory_path"), py::arg("inventory_text"),
        py::arg("inventory_name"), py::arg("guest_dts"), "Lint a System (use pyjailconf.lint)");
    m.def(
        "_lint",
        [](const fs::path& path, const PyKnowledgeBase& kb, std::optional<fs::path> inventory_path,
           std::optional<std::string> inventory_text, std::string inventory_name,
           std::vector<std::pair<std::string, fs::path>> guest_dts) {
            return lint_file(path, kb,
                             make_inputs(std::move(inventory_path), std::move(inventory_text),
                                         std::move(inventory_name), std::move(guest_dts)));
        },
        py::arg("system"), py::arg("kb"), py::arg("inventory_path"), py::arg("inventory_text"),
        py::arg("inventory_name"), py::arg("guest_dts"),
        "Load and lint a YAML or JSON file (use pyjailconf.lint)");

    py::class_<KbFactField>(m, "FactField", "A field of a kb fact table")
        .def_readonly("name", &KbFactField::name)
        .def_readonly("type", &KbFactField::type)
        .def_readonly("doc", &KbFactField::doc)
        .def("__repr__", [](const KbFactField& f) {
            return fmt::format("FactField(name={}, type={})", q(f.name), q(f.type));
        });
    py::class_<KbFactTable>(m, "FactTable", "A table of facts kb rules are written against")
        .def_readonly("name", &KbFactTable::name)
        .def_readonly("doc", &KbFactTable::doc)
        .def_readonly("needs_inventory", &KbFactTable::needs_inventory)
        .def_readonly("fields", &KbFactTable::fields)
        .def("__repr__", [](const KbFactTable& t) {
            return fmt::format("FactTable(name={}, fields={}, needs_inventory={})", q(t.name),
                               t.fields.size(), t.needs_inventory ? "True" : "False");
        });
    m.def("fact_tables", &kb_fact_tables,
          "The fact tables and fields kb rules are written against (`confgen rules --facts`)");
}

} // namespace pyjailconf
