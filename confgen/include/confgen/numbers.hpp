// The number forms of the YAML format, for command-line options too: decimal, 0x-hexadecimal,
// or a size with a K/M/G/T suffix ("64M").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "confgen/expected.hpp"

namespace jailconf {

Expected<uint64_t, std::string> parse_number_or_size(std::string_view text);

} // namespace jailconf
