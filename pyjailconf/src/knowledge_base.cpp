// The KnowledgeBase class, the cached built-in knowledge base and the rule listings.
#include "knowledge_base.hpp"

#include <mutex>

#include <fmt/format.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "confgen/rules.hpp"
#include "rule.hpp"

namespace pyjailconf {

using namespace jailconf;
namespace fs = std::filesystem;

namespace {

struct Loaded {
    std::shared_ptr<KnowledgeBase> kb;
    std::vector<Diagnostic> errors; // empty when it loaded
};

// Called with the GIL released.
Loaded load(bool builtin, const std::vector<fs::path>& dirs) {
    auto kb = std::make_shared<KnowledgeBase>();
    Diagnostics diags;
    if (kb->load(builtin, dirs, diags))
        return {std::move(kb), {}};
    return {nullptr, diags.all()};
}

PyKnowledgeBase unwrap(Loaded&& loaded, bool builtin, const std::vector<fs::path>& dirs) {
    if (!loaded.kb)
        raise_with_diagnostics(errors().knowledge_base, error_lines(loaded.errors), loaded.errors);
    return PyKnowledgeBase{std::move(loaded.kb), dirs, builtin};
}

// One path (str or os.PathLike) or an iterable of them.
std::vector<fs::path> paths_arg(const py::object& value) {
    std::vector<fs::path> out;
    if (value.is_none())
        return out;
    py::object fspath = py::module_::import("os").attr("fspath");
    if (py::isinstance<py::str>(value) || py::isinstance<py::bytes>(value) ||
        py::hasattr(value, "__fspath__")) {
        out.push_back(fspath(value).cast<fs::path>());
        return out;
    }
    for (py::handle item : value)
        out.push_back(fspath(item).cast<fs::path>());
    return out;
}

PyRule kb_rule(const KbRuleSummary& r) {
    return PyRule{r.id,
                  std::string(to_string(r.severity)),
                  r.title,
                  r.rationale,
                  "kb",
                  fmt::format("{}:{}", r.loc.file, r.loc.line),
                  r.tables,
                  r.arch,
                  r.needs_inventory};
}

std::vector<PyRule> check_rules() {
    std::vector<PyRule> out;
    for (const auto& r : builtin_rules())
        out.push_back(PyRule{std::string(r.id),
                             std::string(to_string(r.default_severity)),
                             std::string(r.title),
                             std::string(r.help),
                             "check",
                             "",
                             {},
                             {},
                             false});
    return out;
}

std::vector<PyRule> kb_rules(const KnowledgeBase& kb) {
    std::vector<PyRule> out;
    for (const auto& r : kb.rules())
        out.push_back(kb_rule(r));
    return out;
}

} // namespace

PyKnowledgeBase load_knowledge_base(bool builtin, const std::vector<fs::path>& dirs) {
    Loaded loaded;
    {
        py::gil_scoped_release release;
        loaded = load(builtin, dirs);
    }
    return unwrap(std::move(loaded), builtin, dirs);
}

PyKnowledgeBase builtin_knowledge_base() {
    // Never waited for while holding the GIL: a second thread blocks on the mutex with the GIL
    // released, so the first can finish loading.
    static std::mutex mutex;
    static std::shared_ptr<const KnowledgeBase> cached;
    Loaded loaded;
    {
        py::gil_scoped_release release;
        std::lock_guard lock(mutex);
        if (!cached) {
            loaded = load(true, {});
            cached = loaded.kb;
        } else {
            loaded.kb = std::const_pointer_cast<KnowledgeBase>(cached);
        }
    }
    return unwrap(std::move(loaded), true, {});
}

void bind_knowledge_base(py::module_& m) {
    py::class_<PyKnowledgeBase>(
        m, "KnowledgeBase",
        "The knowledge base (kb/ rules and device/board data) loaded once: the built-in kb/ "
        "unless builtin_rules=False, then each directory of rules_dirs (as `confgen lint "
        "--rules-dir`). Read-only; share one between lint, render and format_diagnostics calls "
        "and between threads. Raises KnowledgeBaseError when a rule file is wrong.")
        .def(py::init([](const py::object& rules_dirs, bool builtin_rules) {
                 return load_knowledge_base(builtin_rules, paths_arg(rules_dirs));
             }),
             py::arg("rules_dirs") = py::tuple(), py::kw_only(), py::arg("builtin_rules") = true)
        .def_readonly("rules_dirs", &PyKnowledgeBase::rules_dirs,
                      "The rule directories loaded, in order")
        .def_readonly("builtin_rules", &PyKnowledgeBase::builtin_rules,
                      "Whether the built-in kb/ is loaded")
        .def_property_readonly(
            "rules", [](const PyKnowledgeBase& self) { return kb_rules(*self.kb); },
            "The KB-* rules (kind 'kb'), built-in first; pyjailconf.rules() adds the checks")
        .def_property_readonly(
            "fact_tables", [](const PyKnowledgeBase&) { return kb_fact_tables(); },
            "The fact tables the rules are written against (`confgen rules --facts`)")
        .def("__len__", [](const PyKnowledgeBase& self) { return self.kb->rules().size(); })
        .def("__repr__", [](const PyKnowledgeBase& self) {
            std::string dirs;
            for (const auto& d : self.rules_dirs)
                dirs += (dirs.empty() ? "" : ", ") + q(d.string());
            return fmt::format("KnowledgeBase(rules={}, rules_dirs=[{}], builtin_rules={})",
                               self.kb->rules().size(), dirs,
                               self.builtin_rules ? "True" : "False");
        });
    m.def("_builtin_knowledge_base", &builtin_knowledge_base,
          "The built-in kb/ alone, loaded once and shared");

    m.def(
        "rules",
        [](bool builtin, const std::vector<fs::path>& rules_dirs) {
            std::vector<PyRule> out = check_rules();
            for (auto& r : kb_rules(*load_knowledge_base(builtin, rules_dirs).kb))
                out.push_back(std::move(r));
            return out;
        },
        py::arg("builtin_rules") = true, py::arg("rules_dirs") = std::vector<fs::path>{},
        "The rules confgen reports: the checks (kind 'check', JC-*) and the knowledge-base "
        "rules (kind 'kb', KB-*) of the built-in kb/ (unless builtin_rules=False) and of each "
        "directory in rules_dirs, as `confgen rules --rules-dir`. Raises KnowledgeBaseError.");
    m.def(
        "rules",
        [](const PyKnowledgeBase& kb) {
            std::vector<PyRule> out = check_rules();
            for (auto& r : kb_rules(*kb.kb))
                out.push_back(std::move(r));
            return out;
        },
        py::arg("kb"), "The checks, then the kb rules of a KnowledgeBase");
}

} // namespace pyjailconf
