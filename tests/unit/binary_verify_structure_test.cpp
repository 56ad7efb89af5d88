// The header, the section table, the placement of sections and the string table: each verifier
// error code of these checks with the offset it must report.
#include <gtest/gtest.h>

#include "binary_verify_cases.hpp"

namespace jailconf::binary_test {

std::vector<Case> structure_cases() {
    using S = SectionId;
    using Mem = jcb::MemoryElem;
    return {
        // header
        {"TruncatedHeader", Base::system, VerifyError::truncated_header,
         [](Bytes& b) {
             b.resize(63);
             return 0u;
         }},
        {"BadMagic", Base::system, VerifyError::bad_magic,
         [](Bytes& b) {
             b[3] = 'X';
             return 0u;
         }},
        {"BadVersion", Base::system, VerifyError::bad_version,
         [](Bytes& b) {
             b[4] = 2;
             return 4u;
         }},
        {"BadHeaderSize", Base::system, VerifyError::bad_header_size,
         [](Bytes& b) {
             b[6] = 72;
             return 6u;
         }},
        {"TooLarge", Base::system, VerifyError::too_large,
         [](Bytes& b) {
             set32(b, 12, limits::max_blob_size + 8);
             return 12u;
         }},
        {"Truncated", Base::system, VerifyError::truncated,
         [](Bytes& b) {
             b.pop_back();
             return uint32_t(b.size());
         }},
        {"TrailingBytes", Base::system, VerifyError::trailing_bytes,
         [](Bytes& b) {
             b.push_back(0);
             return uint32_t(b.size() - 1);
         }},
        {"HeaderCrc", Base::system, VerifyError::header_crc_mismatch,
         [](Bytes& b) {
             b[40] ^= 1;
             return 20u;
         },
         false},
        {"HeaderReserved", Base::system, VerifyError::reserved_not_zero,
         [](Bytes& b) {
             b[27] = 1;
             return 27u;
         }},
        {"BadArch", Base::system, VerifyError::bad_arch,
         [](Bytes& b) {
             b[8] = 4;
             return 8u;
         }},
        {"BadKind", Base::cell, VerifyError::bad_kind,
         [](Bytes& b) {
             b[9] = 0;
             return 9u;
         }},
        {"PayloadCrc", Base::system, VerifyError::payload_crc_mismatch,
         [](Bytes& b) {
             b[100] ^= 1;
             set32(b, 20, jcb::header_crc(b.data()));
             return 16u;
         },
         false},
        {"Sha256", Base::system, VerifyError::sha256_mismatch,
         [](Bytes& b) {
             b[100] ^= 1;
             set32(b, 16, jcb::crc32c(b.data() + 64, b.size() - 64));
             set32(b, 20, jcb::header_crc(b.data()));
             return 32u;
         },
         false},
        // section table
        {"TableOutOfBounds", Base::cell, VerifyError::table_out_of_bounds,
         [](Bytes& b) {
             b[10] = 0xff;
             return 64u;
         }},
        {"UnknownSection", Base::cell, VerifyError::unknown_section,
         [](Bytes& b) {
             b[64 + 16 * 7] = 18;
             return 64u + 16 * 7;
         }},
        {"DuplicateSection", Base::cell, VerifyError::duplicate_section,
         [](Bytes& b) {
             b[64 + 16 * 2] = b[64 + 16];
             return 64u + 32;
         }},
        {"UnorderedSection", Base::cell, VerifyError::unordered_section,
         [](Bytes& b) {
             b[64 + 16 * 2] = 2;
             return 64u + 32;
         }},
        {"SectionNotAllowed", Base::cell, VerifyError::section_not_allowed,
         [](Bytes& b) {
             const uint32_t e = entry_offset(b, S::cell);
             b[e] = uint8_t(S::hypervisor);
             return e;
         }},
        {"EntryReserved", Base::cell, VerifyError::reserved_not_zero,
         [](Bytes& b) {
             b[64 + 16 + 3] = 1;
             return 64u + 16 + 2;
         }},
        {"MissingSection", Base::system, VerifyError::missing_section,
         [](Bytes& b) {
             remove_entry(b, S::hypervisor);
             return 64u;
         }},
        {"EmptySection", Base::cell, VerifyError::empty_section,
         [](Bytes& b) {
             const uint32_t e = entry_offset(b, S::irqs);
             set32(b, e + entry_count, 0);
             return uint32_t(e + entry_count);
         }},
        {"BadElemSize", Base::cell, VerifyError::bad_elem_size,
         [](Bytes& b) {
             const uint32_t e = entry_offset(b, S::memory);
             set32(b, e + 12, 33);
             return e + 12;
         }},
        {"CountOverLimit", Base::cell, VerifyError::count_over_limit,
         [](Bytes& b) {
             const uint32_t e = entry_offset(b, S::cell);
             set32(b, e + entry_count, 2);
             return uint32_t(e + entry_count);
         }},
        {"SectionMisaligned", Base::cell, VerifyError::section_misaligned,
         [](Bytes& b) {
             const uint32_t e = entry_offset(b, S::memory);
             set32(b, e + entry_offset_field, get32(b, e + entry_offset_field) + 4);
             return get32(b, e + entry_offset_field);
         }},
        {"SectionOutOfBounds", Base::cell, VerifyError::section_out_of_bounds,
         [](Bytes& b) {
             const uint32_t e = entry_offset(b, S::memory);
             set32(b, e + entry_count, 1000);
             return get32(b, e + entry_offset_field);
         }},
        {"SectionOverlapsTable", Base::cell, VerifyError::section_overlaps_table,
         [](Bytes& b) {
             const uint32_t e = entry_offset(b, S::cell);
             set32(b, e + entry_offset_field, 64);
             return 64u;
         }},
        {"SectionOverlap", Base::cell, VerifyError::section_overlap,
         [](Bytes& b) {
             const uint32_t e = entry_offset(b, S::irqs);
             set32(b, e + entry_offset_field, section_offset(b, S::memory));
             return section_offset(b, S::memory);
         }},
        {"PaddingNotZero", Base::cell, VerifyError::padding_not_zero,
         [](Bytes& b) {
             b.resize(b.size() + 8, 0);
             b.back() = 0x5a;
             set32(b, 12, uint32_t(b.size()));
             return uint32_t(b.size() - 1);
         }},
        // strings
        {"StringsNoEmpty", Base::cell, VerifyError::strings_no_empty,
         [](Bytes& b) {
             b[section_offset(b, S::strings)] = 'a';
             return section_offset(b, S::strings);
         }},
        {"StringsNotTerminated", Base::cell, VerifyError::strings_not_terminated,
         [](Bytes& b) {
             const uint32_t last = section_offset(b, S::strings) + section_count(b, S::strings) - 1;
             b[last] = 'a';
             return last;
         }},
        {"BadStringRef", Base::system, VerifyError::bad_string_ref,
         [](Bytes& b) {
             const uint32_t f = at<Mem>(b, S::memory, 0, offsetof(Mem, name));
             set32(b, f, 2); // inside "sample-board"
             return f;
         }},
        {"BadStringRefPastEnd", Base::system, VerifyError::bad_string_ref,
         [](Bytes& b) {
             const uint32_t f = at<jcb::LinkElem>(b, S::links, 1, offsetof(jcb::LinkElem, name));
             set32(b, f, section_count(b, S::strings));
             return f;
         }},
        {"BadNameStart", Base::system, VerifyError::bad_name,
         [](Bytes& b) {
             b[section_offset(b, S::strings) + 1] = '.';
             return section_offset(b, S::strings) + 1;
         }},
        {"BadNameChar", Base::cell, VerifyError::bad_name,
         [](Bytes& b) {
             b[section_offset(b, S::strings) + 2] = ' '; // "rt" -> "r "
             return section_offset(b, S::strings) + 2;
         }},
        {"EmptyNameInTable", Base::cell, VerifyError::bad_name,
         [](Bytes& b) {
             b[section_offset(b, S::strings) + 1] = 0;
             return section_offset(b, S::strings) + 1;
         }},
        {"NameRequired", Base::cell, VerifyError::name_required,
         [](Bytes& b) {
             set32(b, section_offset(b, S::cell), 0);
             return section_offset(b, S::cell);
         }},
    };
}

namespace {

class VerifyStructureErrors : public ::testing::TestWithParam<Case> {};

TEST_P(VerifyStructureErrors, ReportsCodeAndOffset) {
    run_case(GetParam());
}

INSTANTIATE_TEST_SUITE_P(VerifyEachCode, VerifyStructureErrors,
                         ::testing::ValuesIn(structure_cases()), case_name);

} // namespace
} // namespace jailconf::binary_test
