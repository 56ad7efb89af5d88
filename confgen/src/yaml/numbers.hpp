// Parsing of the number forms the format allows: decimal, 0x-hexadecimal, sizes with K/M/G/T
// suffixes, and `first-last` id ranges. Errors are messages for JC-NUMBER diagnostics.
#pragma once

#include "confgen/expected.hpp"
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jailconf::yaml {

// Decimal or 0x-hexadecimal without sign; nullopt when the text is not of that form at all,
// an error when it is but does not fit 64 bits.
std::optional<Expected<uint64_t, std::string>> parse_integer_literal(std::string_view text);

// "256M" style; the suffix is a power of 1024.
Expected<uint64_t, std::string> parse_size_suffix(std::string_view text);

struct IdPair {
    uint64_t first;
    uint64_t last;
};
// "35-38" or "0x20-0x2f"; first must not exceed last.
Expected<IdPair, std::string> parse_id_range(std::string_view text);

} // namespace jailconf::yaml
