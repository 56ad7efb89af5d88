// Renderers of diagnostics: compiler-style text for people, JSON for scripts, SARIF 2.1.0 for
// code-scanning services. One output format per module (src/report/).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "confgen/diagnostics.hpp"
#include "confgen/rules.hpp"

namespace jailconf {

enum class ReportFormat { text, json, sarif };
std::optional<ReportFormat> report_format_from_string(std::string_view);

// `file:line:col: error: [RULE] message`, then the source line with a caret when the file can be
// read, the fix and related locations.
std::string render_text(std::span<const Diagnostic> diags);
// {"diagnostics": [...], "errors": N, "warnings": N}
std::string render_json(std::span<const Diagnostic> diags);
// A SARIF 2.1.0 log with one run of confgen; rule metadata for every built-in rule and for
// `extra_rules` (the kb rules of a lint run). Waived findings carry a SARIF suppression.
std::string render_sarif(std::span<const Diagnostic> diags,
                         std::span<const RuleInfo> extra_rules = {});

} // namespace jailconf
