// pyjailconf.KnowledgeBase: the kb/ rules and device data loaded once (built-in and/or rule
// directories) and shared, read-only, by any number of lint, render and SARIF calls, including
// concurrent ones from several threads (the C++ rules keep no state between runs).
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include "bindings.hpp"
#include "confgen/lint.hpp"

namespace pyjailconf {

struct PyKnowledgeBase {
    std::shared_ptr<const jailconf::KnowledgeBase> kb;
    std::vector<std::filesystem::path> rules_dirs;
    bool builtin_rules = true;
};

// Loads the built-in kb/ (unless `builtin` is false) and each directory, as `confgen lint
// --rules-dir` does, with the GIL released. KnowledgeBaseError (with .diagnostics) when a rule
// file is wrong.
PyKnowledgeBase load_knowledge_base(bool builtin, const std::vector<std::filesystem::path>& dirs);
// The built-in kb/ alone, loaded on first use and kept: what lint(), render() and
// format_diagnostics() use when no knowledge base or rule directory is given.
PyKnowledgeBase builtin_knowledge_base();

void bind_knowledge_base(py::module_& m);

} // namespace pyjailconf
