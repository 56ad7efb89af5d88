// The extension module pyjailconf._core: exception hierarchy and registration of every topic.
#include <fmt/format.h>

#include "bindings.hpp"

namespace pyjailconf {

Errors& errors() {
    static Errors e;
    return e;
}

static std::string where(const jailconf::SourceLocation& loc) {
    if (!loc.known())
        return "confgen";
    if (loc.line == 0)
        return loc.file;
    return fmt::format("{}:{}:{}", loc.file, loc.line, loc.column);
}

std::string error_lines(const std::vector<jailconf::Diagnostic>& diags) {
    std::string out;
    for (const auto& d : diags) {
        if (d.severity != jailconf::Severity::error)
            continue;
        if (!out.empty())
            out += '\n';
        out += fmt::format("{}: {}: [{}] {}", where(d.loc), jailconf::to_string(d.severity), d.rule,
                           d.message);
    }
    return out;
}

void raise_with_diagnostics(py::handle type, const std::string& message,
                            const std::vector<jailconf::Diagnostic>& diags) {
    py::object exc = type(message);
    exc.attr("diagnostics") = py::cast(diags);
    PyErr_SetObject(type.ptr(), exc.ptr());
    throw py::error_already_set();
}

static py::handle new_exception(py::module_& m, const char* name, py::handle base,
                                const char* doc) {
    std::string qualified = std::string("pyjailconf.") + name;
    PyObject* type = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, base.ptr(), nullptr);
    if (!type)
        throw py::error_already_set();
    m.add_object(name, py::handle(type)); // the module keeps the reference
    return py::handle(type);
}

} // namespace pyjailconf

PYBIND11_MODULE(_core, m) {
    using namespace pyjailconf;
    m.doc() = "Binding of the jailconf C++ library (the confgen model, checks and binary format)";
    m.attr("__version__") = JAILCONF_VERSION;

    Errors& e = errors();
    e.base = new_exception(m, "JailconfError", PyExc_Exception, "Base class of pyjailconf errors.");
    e.load = new_exception(m, "LoadError", e.base,
                           "The YAML input has errors; `diagnostics` lists them.");
    e.decode = new_exception(m, "DecodeError", e.base, "A binary descriptor is invalid.");
    e.compile = new_exception(m, "CompileError", e.base,
                              "The system cannot be compiled (semantic errors or format limits); "
                              "`diagnostics` lists semantic errors.");
    e.not_supported = new_exception(m, "NotSupportedError", e.base,
                                    "The feature is not implemented in the C++ library yet.");
    e.scan = new_exception(m, "ScanError", e.base,
                           "A scan source or an inventory is unreadable or malformed; `file`, "
                           "`offset`, `node` and `fix` say where and what to do.");
    e.generate = new_exception(m, "GenerateError", e.base,
                               "The inventory cannot be turned into a system; `fix` says why.");
    e.knowledge_base = new_exception(m, "KnowledgeBaseError", e.base,
                                     "A rule or data file of the knowledge base (a rules_dirs "
                                     "directory) is wrong; `diagnostics` lists where.");
    e.plan = new_exception(m, "PlanError", e.generate,
                           "A partition request is invalid or cannot be planned on the machine; "
                           "`diagnostics` lists the JC-PLAN-* (or schema) errors at the "
                           "request's lines, `fix` the first error's fix.");
    e.guest_dt = new_exception(m, "GuestDeviceTreeError", e.base,
                               "A cell's guest device tree cannot be built from the system and "
                               "inventory; `fix` says what to do, `diagnostics` lists the "
                               "system's errors when it does not pass the checks.");

    bind_diagnostics(m);
    bind_model(m);
    bind_functions(m);
    bind_scan(m);
    bind_knowledge_base(m);
    bind_lint(m);
    bind_render(m);
    bind_plan(m);
    bind_guest_dt(m);
}
