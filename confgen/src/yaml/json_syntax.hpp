// JSON input: a file named *.json must be strict JSON (RFC 8259), not merely YAML that happens to
// parse. After this check it takes the YAML path (JSON is YAML), which records the line and column
// of every node for diagnostics.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "confgen/diagnostics.hpp"

namespace jailconf::yaml {

// True for names ending in ".json" (any case): loaded as JSON.
bool is_json_name(std::string_view file);

// JC-JSON-SYNTAX at the offending line and column when `text` is not one JSON value. On success,
// the text to hand to the YAML parser: tabs (JSON whitespace, never inside a JSON string) become
// spaces, which YAML accepts everywhere and which keeps every column where it was.
std::optional<std::string> check_json_syntax(std::string_view text, const std::string& file,
                                             Diagnostics& diags);

} // namespace jailconf::yaml
