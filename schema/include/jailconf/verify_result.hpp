// What the descriptor verifier reports: one error code per reason (with a message table, in the
// manner of Hafnium's manifest errors), the byte offset it concerns and up to two numbers.
// Freestanding: the hypervisor prints these at EL2.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace jailconf::jcb {

// Order is part of nothing: codes are never stored in a blob, only reported. `value` and `other`
// carry what the comment says; "index" means the element's position in its section.
enum class VerifyError : uint16_t {
    ok = 0,
    // header (offset: the field)
    truncated_header,     // value: blob size, other: header size
    bad_magic,            //
    bad_version,          // value: found, other: supported version
    bad_header_size,      // value: found, other: expected
    too_large,            // value: total_size, other: limits::max_blob_size
    truncated,            // offset: blob size; value: total_size, other: blob size
    trailing_bytes,       // offset: total_size; value: total_size, other: blob size
    header_crc_mismatch,  // value: stored, other: computed
    bad_arch,             // value: found
    bad_kind,             // value: found
    payload_crc_mismatch, // value: stored, other: computed
    sha256_mismatch,      //
    // section table (offset: the table entry, or the section start for placement errors)
    table_out_of_bounds,    // value: end of the table, other: total_size
    unknown_section,        // value: id
    duplicate_section,      // value: id
    unordered_section,      // value: id, other: id of the entry before
    section_not_allowed,    // value: id, other: blob kind
    missing_section,        // value: id
    empty_section,          // value: id
    bad_elem_size,          // value: found, other: expected
    count_over_limit,       // value: count, other: limit
    section_misaligned,     // value: section offset, other: required alignment
    section_out_of_bounds,  // value: section end, other: total_size
    section_overlaps_table, // value: section offset, other: end of the section table
    section_overlap,        // value: id of the other section
    padding_not_zero,       // value: the byte
    // strings
    strings_no_empty,       // the table does not start with the empty string
    strings_not_terminated, // the last byte is not NUL
    bad_string_ref,         // value: the reference, other: table size
    bad_name,               // offset: the offending byte; value: the name's reference
    name_required,          // an empty name where one is needed
    // element values (offset: the field)
    reserved_not_zero,      // value: the byte or field
    unknown_flags,          // value: the flags, other: the known bits
    bad_bool,               // value: found
    bad_enum,               // value: found, other: largest valid value
    absent_not_zero,        // a field of an absent optional value is set; value: the field
    bad_root,               // value: found, other: expected for this blob kind
    zero_size,              //
    phys_overflow,          // value: address, other: size
    virt_overflow,          // value: address, other: size
    misaligned,             // value: the field, other: required alignment
    phys_overlap,           // value: index of the other element, other: index of this one
    virt_overlap,           // value: index of the other element, other: index of this one
    range_inverted,         // value: first, other: last
    ranges_unsorted,        // value: first, other: first of the range before
    ranges_overlap,         // value: first, other: last of the range before
    ranges_not_merged,      // value: first, other: last of the range before
    cpu_id_too_large,       // value: id, other: limits::max_cpu_id
    not_ascending,          // value: id, other: id before
    duplicate_value,        // value: index of the other element, other: index of this one
    bar_index_out_of_range, // value: index
    bar_index_duplicate,    // value: index
    bad_slice,              // value: found, other: expected
    bad_pci_cap,            // value: offset, other: size
    bad_pio_range,          // value: base, other: size
    zero_timeout,           //
    gic_mapped,             // system blob: value: region index, other: GicBlock (gic_ranges.hpp)
    count_,                 // number of codes, not an error
};

inline constexpr const char* verify_error_messages[] = {
    "ok",
    "blob shorter than the header",
    "bad magic (not a jailconf descriptor)",
    "unsupported format version",
    "unexpected header size",
    "blob larger than the format allows",
    "blob truncated",
    "bytes after the end of the blob",
    "header checksum mismatch",
    "unknown architecture",
    "unknown blob kind",
    "payload checksum mismatch",
    "SHA-256 of the payload does not match",
    "section table extends past the end of the blob",
    "unknown section id",
    "section listed twice",
    "section ids not in ascending order",
    "section not allowed in this kind of blob",
    "required section missing",
    "empty section listed",
    "wrong element size",
    "too many elements",
    "section not 8-byte aligned",
    "section extends past the end of the blob",
    "section overlaps the header or section table",
    "sections overlap",
    "padding byte not zero",
    "string table does not start with the empty string",
    "string table not NUL-terminated",
    "string reference does not point at the start of a string",
    "invalid name",
    "name required",
    "reserved field not zero",
    "unknown flag bits",
    "boolean not 0 or 1",
    "value out of range",
    "field of an absent value not zero",
    "root flag wrong for this blob kind",
    "size is zero",
    "physical range wraps around",
    "guest range wraps around",
    "not 4 KiB aligned",
    "physical ranges overlap",
    "guest ranges overlap",
    "range first > last",
    "ranges not sorted",
    "ranges overlap",
    "adjacent ranges not merged",
    "CPU id above the limit",
    "ids not strictly ascending",
    "duplicate value",
    "PCI BAR index out of range",
    "PCI BAR index used twice",
    "element slice out of place",
    "PCI capability outside its config space",
    "port I/O range out of bounds",
    "watchdog timeout is zero",
    "memory region maps the interrupt controller (the hypervisor emulates it)",
};
static_assert(sizeof(verify_error_messages) / sizeof(verify_error_messages[0]) ==
                  size_t(VerifyError::count_),
              "one message per error code");

constexpr const char* verify_error_message(VerifyError e) {
    auto i = uint16_t(e);
    return i < uint16_t(VerifyError::count_) ? verify_error_messages[i] : "unknown error";
}

struct [[nodiscard]] VerifyResult {
    VerifyError error = VerifyError::ok;
    uint16_t section = 0; // SectionId the finding is in; 0 for the header and section table
    uint32_t offset = 0;  // byte offset in the blob
    uint64_t value = 0;   // meaning per code, see VerifyError
    uint64_t other = 0;

    constexpr bool ok() const { return error == VerifyError::ok; }
};

} // namespace jailconf::jcb
