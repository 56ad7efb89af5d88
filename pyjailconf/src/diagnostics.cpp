// Diagnostic (a finding of load or check), RelatedLocation and Rule.
#include <fmt/format.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "confgen/rules.hpp"
#include "rule.hpp"

namespace pyjailconf {

using namespace jailconf;

static Severity severity_from_string(const std::string& s) {
    for (Severity v : {Severity::error, Severity::warning, Severity::note})
        if (to_string(v) == s)
            return v;
    throw py::value_error(fmt::format("unknown severity '{}' (error, warning or note)", s));
}

static bool same(const Diagnostic& a, const Diagnostic& b) {
    if (a.rule != b.rule || a.severity != b.severity || a.loc.file != b.loc.file ||
        a.loc.line != b.loc.line || a.loc.column != b.loc.column || a.message != b.message ||
        a.fix != b.fix || a.suppression != b.suppression || a.related.size() != b.related.size())
        return false;
    for (size_t i = 0; i < a.related.size(); ++i)
        if (a.related[i].message != b.related[i].message ||
            a.related[i].loc.file != b.related[i].loc.file ||
            a.related[i].loc.line != b.related[i].loc.line ||
            a.related[i].loc.column != b.related[i].loc.column)
            return false;
    return true;
}

void bind_diagnostics(py::module_& m) {
    py::class_<RelatedLocation>(m, "RelatedLocation",
                                "A secondary location of a diagnostic (e.g. the other region)")
        .def(py::init<>())
        .def_property(
            "file", [](const RelatedLocation& r) { return r.loc.file; },
            [](RelatedLocation& r, std::string v) { r.loc.file = std::move(v); })
        .def_property(
            "line", [](const RelatedLocation& r) { return r.loc.line; },
            [](RelatedLocation& r, uint32_t v) { r.loc.line = v; })
        .def_property(
            "column", [](const RelatedLocation& r) { return r.loc.column; },
            [](RelatedLocation& r, uint32_t v) { r.loc.column = v; })
        .def_readwrite("message", &RelatedLocation::message)
        .def("__repr__", [](const RelatedLocation& r) {
            return fmt::format("RelatedLocation(file={}, line={}, column={}, message={})",
                               q(r.loc.file), r.loc.line, r.loc.column, q(r.message));
        });

    py::class_<Diagnostic>(m, "Diagnostic",
                           "A finding: rule id, severity, location, message and fix")
        .def(py::init<>())
        .def_readwrite("rule", &Diagnostic::rule)
        .def_property(
            "severity", [](const Diagnostic& d) { return std::string(to_string(d.severity)); },
            [](Diagnostic& d, const std::string& s) { d.severity = severity_from_string(s); })
        .def_property(
            "file", [](const Diagnostic& d) { return d.loc.file; },
            [](Diagnostic& d, std::string v) { d.loc.file = std::move(v); })
        .def_property(
            "line", [](const Diagnostic& d) { return d.loc.line; },
            [](Diagnostic& d, uint32_t v) { d.loc.line = v; })
        .def_property(
            "column", [](const Diagnostic& d) { return d.loc.column; },
            [](Diagnostic& d, uint32_t v) { d.loc.column = v; })
        .def_readwrite("message", &Diagnostic::message)
        .def_readwrite("fix", &Diagnostic::fix)
        .def_readwrite("related", &Diagnostic::related)
        .def_readwrite("suppression", &Diagnostic::suppression,
                       "The reason of the cell's waiver that accepts this kb finding, or None")
        .def_property_readonly(
            "waived", [](const Diagnostic& d) { return d.suppression.has_value(); },
            "True when a waiver accepts the finding (it is then reported as a note)")
        .def_property_readonly("is_error",
                               [](const Diagnostic& d) { return d.severity == Severity::error; })
        .def("__eq__", [](const Diagnostic& a, const Diagnostic& b) { return same(a, b); })
        .def("__eq__", [](const Diagnostic&, const py::object&) { return false; })
        .def("__str__",
             [](const Diagnostic& d) {
                 return fmt::format("{}:{}:{}: {}: [{}] {}", d.loc.file, d.loc.line, d.loc.column,
                                    to_string(d.severity), d.rule, d.message);
             })
        .def("__repr__", [](const Diagnostic& d) {
            return fmt::format("Diagnostic(rule={}, severity={}, file={}, line={}, "
                               "column={}, message={}{})",
                               q(d.rule), q(std::string(to_string(d.severity))), q(d.loc.file),
                               d.loc.line, d.loc.column, q(d.message),
                               d.suppression ? ", suppression=" + q(*d.suppression) : "");
        });
    m.attr("Diagnostic").attr("__hash__") = py::none();

    py::class_<PyRule>(m, "Rule", "A rule confgen reports (see rules())")
        .def_readonly("id", &PyRule::id)
        .def_readonly("severity", &PyRule::severity, "The default severity")
        .def_readonly("title", &PyRule::title)
        .def_readonly("help", &PyRule::help, "Why it matters (a kb rule's rationale)")
        .def_readonly("kind", &PyRule::kind, "'check' (built in, JC-*) or 'kb' (a rule file)")
        .def_readonly("source", &PyRule::source, "'file:line' of a kb rule's definition, or ''")
        .def_readonly("tables", &PyRule::tables, "The fact tables a kb rule reads")
        .def_readonly("arch", &PyRule::arch, "The architectures a kb rule applies to (empty: all)")
        .def_readonly("needs_inventory", &PyRule::needs_inventory,
                      "The kb rule judges scanned facts: lint skips it without an inventory")
        .def("__repr__", [](const PyRule& r) {
            return fmt::format("Rule(id={}, kind={}, severity={}, title={})", q(r.id), q(r.kind),
                               q(r.severity), q(r.title));
        });
}

} // namespace pyjailconf
