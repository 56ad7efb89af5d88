// A loaded kb rule: its metadata, its query and its message templates.
#pragma once

#include <optional>

#include "confgen/lint.hpp"
#include "kb/query.hpp"

namespace jailconf::kb {

// "text {a.field} text {b.field:x}" split into literal text and field operands.
struct Template {
    struct Part {
        std::string text; // literal, when `ref` is unset
        std::optional<Operand> ref;
        bool hex = false;
    };
    std::vector<Part> parts;
    std::string render(const Facts& facts, const std::vector<Variable>& vars,
                       const std::vector<uint32_t>& binding) const;
};

struct Rule {
    KbRuleSummary summary;
    Query query;
    int report_var = 0;
    Template message;
    Template fix;
    std::optional<std::pair<int, Template>> related;
};

// Parses and checks one kb file: device/board data (top-level `devices:` or `boards:`) into
// `quirks`, or rules (schema, then tables, fields and variables) appended to `rules`. Every
// problem becomes a diagnostic at its line; only well-formed rules are appended.
void parse_kb_file(std::string_view text, const std::string& name, std::vector<Rule>& rules,
                   QuirkData& quirks, Diagnostics& diags);

} // namespace jailconf::kb
