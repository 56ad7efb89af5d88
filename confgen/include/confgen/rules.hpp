// The registry of built-in rule ids: one entry per check, used as the id in every output format,
// as SARIF rule metadata and for the generated rule list in docs/.
#pragma once

#include <span>
#include <string_view>

#include "confgen/diagnostics.hpp"

namespace jailconf {

struct RuleInfo {
    std::string_view id;
    Severity default_severity;
    std::string_view title; // one line
    std::string_view help;  // why it matters and how to fix it
};

std::span<const RuleInfo> builtin_rules();
// nullptr for an unknown id.
const RuleInfo* find_rule(std::string_view id);

} // namespace jailconf
