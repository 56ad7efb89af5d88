// The 36-byte header every ACPI system description table starts with, and the checks that make a
// file a table at all: size, length field, checksum. Pure functions, usable by any reader of
// ACPI tables (scan, collect, tests).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "confgen/expected.hpp"
#include "confgen/scan_error.hpp"

namespace jailconf::scan::acpi {

inline constexpr size_t kHeaderSize = 36;
inline constexpr size_t kChecksumOffset = 9;

struct TableHeader {
    std::string signature; // "APIC", "DMAR", ...
    uint32_t length = 0;
    uint8_t revision = 0;
    uint8_t checksum = 0;
    std::string oem_id;
    std::string oem_table_id;
    uint32_t oem_revision = 0;
    std::string creator_id;
    uint32_t creator_revision = 0;
};

// Sum of all bytes modulo 256; a valid table sums to 0.
uint8_t table_checksum(std::string_view bytes);

// Decodes the header of `bytes` (the whole file) and checks that the file is exactly one table:
// at least a header long, the length field equal to the file size, the checksum right. `file`
// names the input in the error.
Expected<TableHeader, ScanError> validate_table(std::string_view bytes, const std::string& file);

} // namespace jailconf::scan::acpi
