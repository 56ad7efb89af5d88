// What every table parser works with: one validated table, the shared scan state it adds facts
// to, and the error and origin helpers that make every complaint name the file and byte offset.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "confgen/expected.hpp"
#include "confgen/inventory.hpp"
#include "confgen/scan_error.hpp"
#include "scan/acpi/bytes.hpp"
#include "scan/acpi/table_header.hpp"

namespace jailconf::scan::acpi {

struct Table {
    std::string file;
    std::string_view bytes; // exactly header.length bytes
    TableHeader header;

    ScanError malformed(size_t offset, std::string message, std::string fix = {}) const;
    inventory::Origin origin(size_t offset) const { return inventory::Origin{file, offset, {}}; }
};

struct Ok {};
using ParseResult = Expected<Ok, ScanError>;

// Facts that one table needs from another (SRAT names Arm CPUs by the ACPI processor UID that only
// the MADT ties to an MPIDR) and what decides the warnings at the end.
struct ScanState {
    inventory::Inventory inv;
    std::unordered_map<uint32_t, uint64_t> gicc_uid_to_mpidr;
    bool saw_x86_interrupt_model = false; // MADT local APIC / x2APIC / IOAPIC entries
    bool saw_gic = false;                 // MADT GICC / GICD entries
    bool saw_fadt = false;
    uint16_t arm_boot_arch = 0;
};

// The bytes a structure at `offset` with `length` bytes needs: `min` for its fixed fields.
// Returns an error naming `what` when the structure is shorter or runs past the table end.
Expected<Ok, ScanError> check_structure(const Table& t, size_t offset, size_t length, size_t min,
                                        std::string_view what);

// Layout of the type/length pair that starts each subtable of a table family.
struct SubtableLayout {
    size_t type_width;    // 1 or 2 bytes at offset 0
    size_t length_offset; // where the length field is
    size_t length_width;  // 1 or 2 bytes
};

// Walks the subtables from `start` to the table end, calling `fn(offset, type, length)` (returning
// ParseResult) for each. A subtable whose length is smaller than its own type/length header (zero
// included, which would never advance) or that runs past the table end is malformed.
template <class Fn>
ParseResult for_each_subtable(const Table& t, size_t start, SubtableLayout layout,
                              std::string_view family, Fn&& fn) {
    const size_t header = layout.length_offset + layout.length_width;
    size_t off = start;
    while (off < t.bytes.size()) {
        if (t.bytes.size() - off < header)
            return Unexpected(t.malformed(off,
                                          std::string(family) +
                                              ": bytes left at the table end are too few for a "
                                              "subtable header",
                                          "fix the table length or the last subtable's length"));
        const auto type = static_cast<uint32_t>(read_le(t.bytes, off, layout.type_width));
        const auto length =
            static_cast<size_t>(read_le(t.bytes, off + layout.length_offset, layout.length_width));
        if (length < header)
            return Unexpected(t.malformed(
                off,
                std::string(family) + " subtable type " + std::to_string(type) + " has length " +
                    std::to_string(length) + ", smaller than its own header",
                "every subtable length must cover at least its type and length fields"));
        if (length > t.bytes.size() - off)
            return Unexpected(t.malformed(off,
                                          std::string(family) + " subtable type " +
                                              std::to_string(type) + " of length " +
                                              std::to_string(length) + " runs past the table end",
                                          "fix the subtable length or the table length"));
        auto r = fn(off, type, length);
        if (!r)
            return r;
        off += length;
    }
    return Ok{};
}

// Parsers, one per table (scan_acpi.cpp dispatches by signature).
ParseResult parse_madt(const Table& t, ScanState& s);
ParseResult parse_mcfg(const Table& t, ScanState& s);
ParseResult parse_dmar(const Table& t, ScanState& s);
ParseResult parse_ivrs(const Table& t, ScanState& s);
ParseResult parse_iort(const Table& t, ScanState& s);
ParseResult parse_srat(const Table& t, ScanState& s);
ParseResult parse_fadt(const Table& t, ScanState& s);
ParseResult parse_hpet(const Table& t, ScanState& s);
ParseResult parse_spcr(const Table& t, ScanState& s);
ParseResult parse_gtdt(const Table& t, ScanState& s);

} // namespace jailconf::scan::acpi
