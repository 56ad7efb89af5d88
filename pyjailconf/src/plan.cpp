// The partition planner (`confgen generate --inventory I --request R`) and explain (`confgen
// explain`): Plan, Provenance and Explained objects over confgen/plan.hpp. The planner and the
// checks of its result run with the GIL released.
#include <filesystem>
#include <optional>

#include <fmt/format.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "bindings.hpp"
#include "confgen/check.hpp"
#include "confgen/load.hpp"
#include "confgen/plan.hpp"
#include "confgen/read_file.hpp"

namespace pyjailconf {

using namespace jailconf;
namespace fs = std::filesystem;

namespace {

// A plan with the names render_plan writes into the files' headers.
struct PyPlan {
    plan::PlanResult result;
    std::vector<Diagnostic> diagnostics; // warnings and notes of planning and checking
    std::string inventory_name, request_name;
};

// PlanError (a GenerateError): `diagnostics` lists the JC-PLAN-* (or schema) errors at the
// request's lines; `fix` is the first error's fix.
[[noreturn]] void raise_plan_error(const std::string& message,
                                   const std::vector<Diagnostic>& diags) {
    py::handle type = errors().plan;
    py::object exc = type(message);
    exc.attr("diagnostics") = py::cast(diags);
    std::string fix;
    for (const auto& d : diags)
        if (d.severity == Severity::error) {
            fix = d.fix;
            break;
        }
    exc.attr("fix") = fix;
    PyErr_SetObject(type.ptr(), exc.ptr());
    throw py::error_already_set();
}

PyPlan run_plan(const std::optional<fs::path>& inventory_path,
                const std::optional<std::string>& inventory_text, const std::string& inventory_name,
                const std::optional<fs::path>& request_path,
                const std::optional<std::string>& request_text, const std::string& request_name,
                std::optional<uint64_t> hv_memory, std::optional<uint64_t> hv_memory_at,
                const std::string& name) {
    if (bool(request_path) == bool(request_text))
        throw py::value_error("give the request as a path or as text (exactly one)");
    auto inv = read_inventory(inventory_path, inventory_text, inventory_name);
    if (!inv)
        throw py::value_error("an inventory is needed");
    GenerateOptions options;
    if (hv_memory)
        options.hv_memory_size = *hv_memory;
    options.hv_memory_phys = hv_memory_at;
    options.platform_name = name;

    Diagnostics diags;
    std::optional<LoadFailure> request_failure;
    std::optional<plan::PlanResult> planned;
    Diagnostics check;
    {
        py::gil_scoped_release release;
        auto request = request_path
                           ? plan::load_request(*request_path, diags)
                           : plan::load_request_from_string(*request_text, request_name, diags);
        if (request) {
            auto p = plan::plan_system(*inv, *request, options, diags);
            if (p) {
                planned = std::move(*p);
                check_system(planned->system, check);
                check.sort();
            }
        } else {
            request_failure = request.error();
        }
        diags.sort();
    }
    if (request_failure && *request_failure == LoadFailure::io)
        raise_os_error(*request_path,
                       diags.empty() ? "cannot read file" : diags.all().front().message);
    if (request_failure || !planned)
        raise_plan_error(error_lines(diags.all()), diags.all());
    // As the CLI: a plan that fails the checks is a planner defect, reported, never returned.
    if (check.has_errors())
        raise_plan_error("the planned configuration does not pass the checks (please report "
                         "this with the inventory and request):\n" +
                             error_lines(check.all()),
                         check.all());
    PyPlan out{std::move(*planned), diags.all(),
               inventory_path ? inventory_path->string() : inventory_name,
               request_path ? request_path->string() : request_name};
    for (const auto& d : check.all())
        out.diagnostics.push_back(d);
    return out;
}

std::vector<plan::Explained> explain_system(const System& system,
                                            const std::vector<plan::Provenance>& provenance,
                                            const std::optional<std::string>& resource) {
    auto resources = plan::list_resources(system);
    if (resource) {
        auto filtered = plan::filter_resources(std::move(resources), *resource, system);
        if (!filtered)
            throw py::value_error(fmt::format("resource: {}", filtered.error()));
        resources = std::move(*filtered);
    }
    return plan::explain(resources, provenance);
}

std::vector<plan::Provenance> load_provenance(const fs::path& path) {
    std::optional<std::string> read_error, parse_error;
    std::vector<plan::Provenance> out;
    {
        py::gil_scoped_release release;
        auto text = read_file(path);
        if (!text) {
            read_error = text.error();
        } else {
            auto parsed = plan::parse_provenance(*text, path.string());
            if (parsed)
                out = std::move(*parsed);
            else
                parse_error = parsed.error();
        }
    }
    if (read_error)
        raise_os_error(path, *read_error);
    if (parse_error)
        raise_with_diagnostics(errors().load, "error: " + *parse_error, {});
    return out;
}

py::object opt_int(const std::optional<uint64_t>& v) {
    return v ? py::object(py::int_(*v)) : py::object(py::none());
}

py::object location(const SourceLocation& loc) {
    if (!loc.known())
        return py::none();
    return py::make_tuple(loc.file, loc.line, loc.column);
}

} // namespace

void bind_plan(py::module_& m) {
    py::class_<plan::Provenance>(m, "Provenance", "Where one resource of a planned cell came from")
        .def_readonly("cell", &plan::Provenance::cell,
                      "The cell; 'links' for links, 'hypervisor' for its memory")
        .def_readonly("key", &plan::Provenance::key, "'cpu 3', 'memory 0x7a000000', 'irq 34', ...")
        .def_readonly("source", &plan::Provenance::source, "'inventory', 'request' or 'policy'")
        .def_readonly("fact", &plan::Provenance::fact, "The scanned fact and its origin")
        .def_readonly("request", &plan::Provenance::request,
                      "The request location 'file:line:col', or ''")
        .def_readonly("rule", &plan::Provenance::rule, "The rule or policy that chose it")
        .def("__repr__", [](const plan::Provenance& p) {
            return fmt::format("Provenance(cell={}, key={}, source={}, fact={}, request={}, "
                               "rule={})",
                               q(p.cell), q(p.key), q(p.source), q(p.fact), q(p.request),
                               q(p.rule));
        });

    py::class_<PyPlan>(m, "Plan", "The result of the partition planner (see plan())")
        .def_property_readonly(
            "system", [](PyPlan& p) -> System& { return p.result.system; },
            py::return_value_policy::reference_internal,
            "The planned System (root cell, requested cells and links); a live view")
        .def_property_readonly(
            "notes", [](const PyPlan& p) { return p.result.notes; },
            "What the planner decided by itself ('no free UART ...'), one line each")
        .def_property_readonly(
            "provenance", [](const PyPlan& p) { return p.result.provenance; },
            "Where every resource came from (list of Provenance), as provenance.yaml")
        .def_readonly("diagnostics", &PyPlan::diagnostics,
                      "Warnings and notes of planning and of the checks of the result")
        .def_readonly("inventory_name", &PyPlan::inventory_name)
        .def_readonly("request_name", &PyPlan::request_name)
        .def(
            "files",
            [](const PyPlan& p) {
                py::dict out;
                for (auto& f : plan::render_plan(p.result, p.inventory_name, p.request_name))
                    out[py::str(f.path)] = py::str(f.text);
                return out;
            },
            "The files `confgen generate --request` writes, {relative path: text}: system.yaml, "
            "cells/NAME.yaml and provenance.yaml (same bytes as the CLI for the same names)")
        .def(
            "explain",
            [](const PyPlan& p, const std::optional<std::string>& resource) {
                return explain_system(p.result.system, p.result.provenance, resource);
            },
            py::arg("resource") = py::none(), "explain() of the planned system with its provenance")
        .def("__repr__", [](const PyPlan& p) {
            std::string cells;
            for (const auto& c : p.result.system.cells)
                cells += (cells.empty() ? "" : ", ") + q(c.name);
            return fmt::format("Plan(cells=[{}], links={}, provenance={} entries, notes={})", cells,
                               p.result.system.links.size(), p.result.provenance.size(),
                               p.result.notes.size());
        });

    py::class_<plan::Explained>(m, "Explained",
                                "One resource of a system and where it came from (explain())")
        .def_property_readonly("cell", [](const plan::Explained& e) { return e.resource.cell; })
        .def_property_readonly(
            "kind", [](const plan::Explained& e) { return e.resource.kind; },
            "cpus, memory, irqs, pci_devices, stream_ids, pio, console, watchdog, links or "
            "hypervisor")
        .def_property_readonly(
            "key", [](const plan::Explained& e) { return e.resource.key; }, "As Provenance.key")
        .def_property_readonly(
            "what", [](const plan::Explained& e) { return e.resource.what; },
            "One-line description")
        .def_property_readonly(
            "location", [](const plan::Explained& e) { return location(e.resource.loc); },
            "(file, line, column) where the resource is written, or None")
        .def_property_readonly(
            "begin", [](const plan::Explained& e) { return opt_int(e.resource.begin); },
            "Start of its address range, or None")
        .def_property_readonly(
            "end", [](const plan::Explained& e) { return opt_int(e.resource.end); },
            "End (exclusive) of its address range, or None")
        .def_property_readonly(
            "id", [](const plan::Explained& e) { return opt_int(e.resource.id); },
            "CPU, INTID or stream id, or None")
        .def_readonly("provenance", &plan::Explained::provenance,
                      "Provenance, or None when the resource was written by hand")
        .def("__repr__", [](const plan::Explained& e) {
            return fmt::format("Explained(cell={}, kind={}, key={}, source={})", q(e.resource.cell),
                               q(e.resource.kind), q(e.resource.key),
                               e.provenance ? q(e.provenance->source) : std::string("None"));
        });

    m.def("_plan", &run_plan, py::arg("inventory_path"), py::arg("inventory_text"),
          py::arg("inventory_name"), py::arg("request_path"), py::arg("request_text"),
          py::arg("request_name"), py::arg("hv_memory"), py::arg("hv_memory_at"), py::arg("name"),
          "Plan a request on an inventory (use pyjailconf.plan)");
    m.def(
        "_explain",
        [](const System& system, const std::vector<plan::Provenance>& provenance,
           const std::optional<std::string>& resource) {
            return explain_system(system, provenance, resource);
        },
        py::arg("system"), py::arg("provenance"), py::arg("resource"),
        "Explain a System's resources (use pyjailconf.explain)");
    m.def("load_provenance", &load_provenance, py::arg("path"),
          "Read a provenance.yaml written by the planner (LoadError, OSError)");
    m.def(
        "format_explanation",
        [](const std::vector<plan::Explained>& items, const std::string& format,
           bool have_provenance) {
            if (format == "text")
                return plan::explain_text(items, have_provenance);
            if (format == "json")
                return plan::explain_json(items, have_provenance);
            throw py::value_error(fmt::format("unknown format '{}' (text or json)", format));
        },
        py::arg("items"), py::arg("format") = "text", py::arg("have_provenance") = true,
        "Render explain() results as `confgen explain` prints them ('text' or 'json')");
}

} // namespace pyjailconf
