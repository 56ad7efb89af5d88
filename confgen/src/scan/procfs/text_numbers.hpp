// Numbers as the kernel prints them in procfs and sysfs text files: bounded (at most 16 hex or
// 10 decimal digits, no overflow), never locale-dependent, no exceptions (unlike std::stoull).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace jailconf::scan::procfs {

struct ParsedNumber {
    uint64_t value = 0;
    size_t length = 0; // characters consumed, including a "0x" prefix
};

// Hex digits at the start of `text`; with `prefix` a leading "0x" is required.
std::optional<ParsedNumber> parse_hex(std::string_view text, bool prefix = false);
// Decimal digits at the start of `text`, at most 4294967295.
std::optional<ParsedNumber> parse_decimal(std::string_view text);

std::string_view trim(std::string_view text);

} // namespace jailconf::scan::procfs
