// Checks on raw input before YAML parsing: not empty, no NUL bytes, valid UTF-8; and where a
// byte offset of that input is, for parsers that report offsets.
#pragma once

#include <string>
#include <string_view>

#include "confgen/diagnostics.hpp"

namespace jailconf::yaml {

bool check_text(std::string_view text, const std::string& file, Diagnostics& diags);

// The 1-based line and column of byte `offset` of `text` (offset <= text.size()).
SourceLocation location_at(std::string_view text, size_t offset, const std::string& file);

} // namespace jailconf::yaml
