#include "scan/acpi/table_header.hpp"

#include <fmt/format.h>

#include "scan/acpi/bytes.hpp"

namespace jailconf::scan::acpi {

namespace {

ScanError header_error(const std::string& file, uint64_t offset, std::string message,
                       std::string fix) {
    return ScanError::malformed_at(file, offset, std::move(message), std::move(fix));
}

// Signatures are four printable ASCII characters; anything else means the file is not a table
// (a text file, a whole acpidump hex listing, ...), and saying so beats a checksum complaint.
bool printable_signature(std::string_view bytes) {
    for (size_t i = 0; i < 4; ++i) {
        const auto c = static_cast<uint8_t>(bytes[i]);
        if (c < 0x20 || c > 0x7e)
            return false;
    }
    return true;
}

} // namespace

uint8_t table_checksum(std::string_view bytes) {
    uint8_t sum = 0;
    for (char c : bytes)
        sum = static_cast<uint8_t>(sum + static_cast<uint8_t>(c));
    return sum;
}

Expected<TableHeader, ScanError> validate_table(std::string_view bytes, const std::string& file) {
    const std::string redump = "dump the table again, e.g. `acpidump -b` or a copy of "
                               "/sys/firmware/acpi/tables/<SIG>";
    if (bytes.size() < kHeaderSize)
        return Unexpected(
            header_error(file, 0,
                         fmt::format("{} bytes, shorter than the {}-byte ACPI table header",
                                     bytes.size(), kHeaderSize),
                         redump));
    if (!printable_signature(bytes))
        return Unexpected(header_error(file, 0,
                                       "no ACPI table signature (4 printable characters) at "
                                       "offset 0; this is not a binary ACPI table",
                                       "pass binary tables (acpidump -b output), not text dumps"));
    TableHeader h;
    h.signature = std::string(bytes.substr(0, 4));
    h.length = u32(bytes, 4);
    h.revision = u8(bytes, 8);
    h.checksum = u8(bytes, kChecksumOffset);
    h.oem_id = fixed_text(bytes, 10, 6);
    h.oem_table_id = fixed_text(bytes, 16, 8);
    h.oem_revision = u32(bytes, 24);
    h.creator_id = fixed_text(bytes, 28, 4);
    h.creator_revision = u32(bytes, 32);

    if (h.length < kHeaderSize)
        return Unexpected(header_error(
            file, 4,
            fmt::format("{} table length field is {}, smaller than its own 36-byte header",
                        h.signature, h.length),
            redump));
    if (h.length > bytes.size())
        return Unexpected(header_error(
            file, 4,
            fmt::format("{} table length field says {} bytes but the file has only {}: the file "
                        "is truncated",
                        h.signature, h.length, bytes.size()),
            redump));
    if (h.length < bytes.size())
        return Unexpected(header_error(
            file, 4,
            fmt::format("{} table length field says {} bytes but the file has {}: either the "
                        "length field is wrong or the file holds more than one table",
                        h.signature, h.length, bytes.size()),
            "pass each table in its own file (acpidump -b), or " + redump));
    const uint8_t sum = table_checksum(bytes);
    if (sum != 0) {
        const auto wanted = static_cast<uint8_t>(h.checksum - sum);
        return Unexpected(header_error(
            file, kChecksumOffset,
            fmt::format("{} checksum is wrong: the {} bytes sum to 0x{:02x} modulo 256, not 0 "
                        "(checksum byte 0x{:02x})",
                        h.signature, bytes.size(), sum, h.checksum),
            fmt::format("if the table was edited on purpose, set the byte at offset 9 to 0x{:02x}; "
                        "otherwise {}",
                        wanted, redump)));
    }
    return h;
}

} // namespace jailconf::scan::acpi
