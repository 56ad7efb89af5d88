// A rule as Python sees it (owning copies of the registry's strings): a built-in check (JC-*) or
// a knowledge-base rule (KB-*), as `confgen rules --format json` lists it.
#pragma once

#include <string>
#include <vector>

namespace pyjailconf {

// (Not `Rule`: confgen/lint.hpp forward-declares jailconf::kb::Rule, and one name for two
// types confuses readers and clang-tidy.)
struct PyRule {
    std::string id;
    std::string severity; // default severity
    std::string title;
    std::string help;
    std::string kind = "check"; // "check" (built in) or "kb" (a rule file)
    // kb rules only:
    std::string source;              // "file:line" of the definition
    std::vector<std::string> tables; // fact tables the rule reads
    std::vector<std::string> arch;   // empty: every architecture
    bool needs_inventory = false;
};

} // namespace pyjailconf
