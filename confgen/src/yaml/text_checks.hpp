// Checks on raw input before YAML parsing: not empty, no NUL bytes, valid UTF-8.
#pragma once

#include <string>
#include <string_view>

#include "confgen/diagnostics.hpp"

namespace jailconf::yaml {

bool check_text(std::string_view text, const std::string& file, Diagnostics& diags);

} // namespace jailconf::yaml
