// Shared by the verbs that read YAML: load each file, run the semantic checks, print the
// diagnostics in the requested format and work out the exit code.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "confgen/model.hpp"
#include "confgen/report.hpp"

namespace confgen {

struct CheckedInput {
    std::string path;
    std::optional<jailconf::System> system; // set when the file has no errors
};

struct CheckOutcome {
    std::vector<CheckedInput> inputs;
    int exit_code = 0;
};

// `more_checks` runs on every file that loaded (even with semantic errors), e.g. the kb rules;
// `extra_rules` describes the rule ids it reports, for SARIF.
using MoreChecks = std::function<void(const jailconf::System&, jailconf::Diagnostics&)>;
CheckOutcome load_and_check(const std::vector<std::string>& paths, jailconf::ReportFormat format,
                            const MoreChecks& more_checks = {},
                            std::span<const jailconf::RuleInfo> extra_rules = {});

} // namespace confgen
