#include "binary/describe.hpp"

#include <fmt/format.h>

#include "jailconf/format.hpp"
#include "jailconf/layout.hpp"

namespace jailconf::binary {
namespace {

using jcb::VerifyError;

std::string hex(uint64_t v) {
    return fmt::format("{:#x}", v);
}

// The numbers of a finding, in the words of its code (see the comments in verify_result.hpp).
std::string details(const jcb::VerifyResult& r) {
    const uint64_t v = r.value, o = r.other;
    switch (r.error) {
    case VerifyError::truncated_header:
    case VerifyError::truncated:
        return fmt::format("{} bytes, need {}", o, v);
    case VerifyError::trailing_bytes:
        return fmt::format("{} bytes, total_size says {}", o, v);
    case VerifyError::bad_version:
    case VerifyError::bad_header_size:
    case VerifyError::bad_elem_size:
    case VerifyError::bad_root:
    case VerifyError::bad_slice:
        return fmt::format("found {}, expected {}", v, o);
    case VerifyError::too_large:
    case VerifyError::count_over_limit:
    case VerifyError::cpu_id_too_large:
        return fmt::format("{} > {}", v, o);
    case VerifyError::section_out_of_bounds:
    case VerifyError::table_out_of_bounds:
        return fmt::format("{} > {}", hex(v), hex(o));
    case VerifyError::section_overlaps_table:
        return fmt::format("{} < {}", hex(v), hex(o));
    case VerifyError::header_crc_mismatch:
    case VerifyError::payload_crc_mismatch:
        return fmt::format("stored {:#010x}, computed {:#010x}", v, o);
    case VerifyError::bad_arch:
    case VerifyError::bad_kind:
    case VerifyError::unknown_section:
    case VerifyError::duplicate_section:
    case VerifyError::empty_section:
    case VerifyError::bad_bool:
    case VerifyError::bar_index_out_of_range:
    case VerifyError::bar_index_duplicate:
        return fmt::format("{}", v);
    case VerifyError::unordered_section:
        return fmt::format("{} after {}", v, o);
    case VerifyError::section_not_allowed:
        return fmt::format("'{}' in a {} blob", jcb::section_name(uint16_t(v)),
                           o == uint8_t(jcb::BlobKind::system) ? "system" : "cell");
    case VerifyError::missing_section:
        return fmt::format("'{}'", jcb::section_name(uint16_t(v)));
    case VerifyError::section_misaligned:
    case VerifyError::misaligned:
        return fmt::format("{}, alignment {}", hex(v), hex(o));
    case VerifyError::section_overlap:
        return fmt::format("with section '{}'", jcb::section_name(uint16_t(v)));
    case VerifyError::padding_not_zero:
    case VerifyError::reserved_not_zero:
    case VerifyError::absent_not_zero:
        return hex(v);
    case VerifyError::bad_string_ref:
        return fmt::format("{}, table size {}", hex(v), hex(o));
    case VerifyError::bad_name:
        return fmt::format("the name at {}", hex(v));
    case VerifyError::unknown_flags:
        return fmt::format("{}, known {}", hex(v), hex(o));
    case VerifyError::bad_enum:
        return fmt::format("{}, valid 1..{}", v, o);
    case VerifyError::phys_overflow:
    case VerifyError::virt_overflow:
        return fmt::format("{} + {}", hex(v), hex(o));
    case VerifyError::phys_overlap:
    case VerifyError::virt_overlap:
    case VerifyError::duplicate_value:
        return fmt::format("with element {}", v);
    case VerifyError::range_inverted:
        return fmt::format("{} > {}", v, o);
    case VerifyError::ranges_unsorted:
    case VerifyError::ranges_overlap:
    case VerifyError::ranges_not_merged:
    case VerifyError::not_ascending:
        return fmt::format("{} after {}", v, o);
    case VerifyError::bad_pci_cap:
        return fmt::format("offset {}, size {}", hex(v), hex(o));
    case VerifyError::bad_pio_range:
        return fmt::format("base {}, size {}", hex(v), hex(o));
    default:
        return {};
    }
}

// "section 'memory' element 2" for findings inside an element, "section 'memory'" otherwise.
// Reads the section table only within bounds; findings about elements come after the table
// was verified, so it is sound then.
std::string where(const jcb::VerifyResult& r, std::span<const uint8_t> bytes) {
    if (r.section == 0)
        return {};
    std::string text = fmt::format("section '{}'", jcb::section_name(r.section));
    if (r.error < VerifyError::strings_no_empty || r.section == uint16_t(jcb::SectionId::strings))
        return text;
    if (bytes.size() < sizeof(jcb::Header))
        return text;
    const auto h = jcb::load<jcb::Header>(bytes.data());
    for (uint32_t i = 0; i < h.section_count.get(); ++i) {
        const size_t at = sizeof(jcb::Header) + i * sizeof(jcb::SectionEntry);
        if (at + sizeof(jcb::SectionEntry) > bytes.size())
            break;
        const auto e = jcb::load<jcb::SectionEntry>(bytes.data() + at);
        if (e.id.get() != r.section || e.elem_size.get() == 0 || r.offset < e.offset.get())
            continue;
        const uint32_t index = (r.offset - e.offset.get()) / e.elem_size.get();
        if (index < e.count.get())
            text += fmt::format(" element {}", index);
    }
    return text;
}

} // namespace

std::string describe(const jcb::VerifyResult& r, std::span<const uint8_t> bytes) {
    std::string text = fmt::format("offset {}: ", hex(r.offset));
    const std::string place = where(r, bytes);
    std::string message = jcb::verify_error_message(r.error);
    // Section-placement messages read "section extends ..."; name the section in place.
    if (!place.empty() && message.starts_with("section "))
        text += place + message.substr(7);
    else if (!place.empty())
        text += place + ": " + message;
    else
        text += message;
    if (std::string d = details(r); !d.empty())
        text += " (" + d + ")";
    return text;
}

} // namespace jailconf::binary
