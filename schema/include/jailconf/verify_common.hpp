// Verifier helpers shared by the element checks: the string table, names, booleans, enums,
// reserved bytes, address ranges and sorted id ranges. Each returns the first finding with the
// exact offset of the field it concerns.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "jailconf/format.hpp"
#include "jailconf/layout.hpp"
#include "jailconf/limits.hpp"
#include "jailconf/verify_header.hpp"
#include "jailconf/verify_result.hpp"

namespace jailconf::jcb {

constexpr bool is_name_start(uint8_t c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}
constexpr bool is_name_char(uint8_t c) {
    return is_name_start(c) || c == '.' || c == '-';
}

// The table starts with the empty string and ends with a NUL; every other string in it is a
// valid name. References therefore only need to point at the start of a string.
inline VerifyResult verify_strings(const Layout& l) {
    const SectionRef s = l.section(SectionId::strings);
    const uint8_t* t = l.data + s.offset;
    if (t[0] != 0)
        return fail(VerifyError::strings_no_empty, SectionId::strings, s.offset, t[0]);
    if (t[s.count - 1] != 0)
        return fail(VerifyError::strings_not_terminated, SectionId::strings, s.offset + s.count - 1,
                    t[s.count - 1]);
    for (uint32_t start = 1; start < s.count;) {
        uint32_t i = start;
        for (; t[i] != 0; ++i) {
            const bool ok = (i == start ? is_name_start(t[i]) : is_name_char(t[i])) &&
                            i - start < limits::max_name_length;
            if (!ok)
                return fail(VerifyError::bad_name, SectionId::strings, s.offset + i, start);
        }
        if (i == start) // an empty string other than the one at offset 0
            return fail(VerifyError::bad_name, SectionId::strings, s.offset + i, start);
        start = i + 1;
    }
    return {};
}

// Needs verify_strings() first.
inline VerifyResult check_name_ref(const Layout& l, SectionId section, uint32_t field_offset,
                                   Le32 field, bool required) {
    const SectionRef s = l.section(SectionId::strings);
    const uint32_t ref = field.get();
    if (ref >= s.count || (ref != 0 && l.data[s.offset + ref - 1] != 0))
        return fail(VerifyError::bad_string_ref, section, field_offset, ref, s.count);
    if (required && ref == 0)
        return fail(VerifyError::name_required, section, field_offset);
    return {};
}

inline bool same_name(const Layout& l, Le32 a, Le32 b) {
    // Both references are verified, so both strings end inside the table. A plain loop rather
    // than strcmp: the hypervisor provides only the mem* functions.
    const uint8_t* t = l.data + l.section(SectionId::strings).offset;
    const uint8_t* x = t + a.get();
    const uint8_t* y = t + b.get();
    for (; *x != 0 && *x == *y; ++x, ++y) {
    }
    return *x == *y;
}

inline VerifyResult check_bool(SectionId section, uint32_t offset, uint8_t v) {
    if (v > 1)
        return fail(VerifyError::bad_bool, section, offset, v);
    return {};
}

inline VerifyResult check_enum(SectionId section, uint32_t offset, uint8_t v, uint8_t max) {
    if (v == 0 || v > max)
        return fail(VerifyError::bad_enum, section, offset, v, max);
    return {};
}

inline VerifyResult check_reserved(SectionId section, uint32_t offset, const uint8_t* bytes,
                                   size_t n) {
    for (size_t i = 0; i < n; ++i)
        if (bytes[i] != 0)
            return fail(VerifyError::reserved_not_zero, section, offset + uint32_t(i), bytes[i]);
    return {};
}

inline VerifyResult check_flags(SectionId section, uint32_t offset, uint32_t flags,
                                uint32_t known) {
    if (flags & ~known)
        return fail(VerifyError::unknown_flags, section, offset, flags, known);
    return {};
}

// The bytes of an absent optional value (or of an unused slot) must all be zero.
inline VerifyResult check_absent_bytes(SectionId section, uint32_t offset, const void* bytes,
                                       size_t n) {
    const auto* p = static_cast<const uint8_t*>(bytes);
    for (size_t i = 0; i < n; ++i)
        if (p[i] != 0)
            return fail(VerifyError::absent_not_zero, section, offset + uint32_t(i), p[i]);
    return {};
}

// A field that must be zero because the optional value it belongs to is absent.
inline VerifyResult check_absent(SectionId section, uint32_t offset, uint64_t v) {
    if (v != 0)
        return fail(VerifyError::absent_not_zero, section, offset, v);
    return {};
}

// Inclusive last address of [base, base + size); the caller has checked size != 0.
constexpr bool wraps(uint64_t base, uint64_t size) {
    return base + (size - 1) < base;
}

// A range of `size` bytes at `base` (offsets of the two fields given for messages): non-empty,
// not wrapping, and page-aligned when `page_aligned`.
inline VerifyResult check_phys_range(SectionId section, uint32_t base_offset, uint64_t base,
                                     uint32_t size_offset, uint64_t size, bool page_aligned) {
    if (size == 0)
        return fail(VerifyError::zero_size, section, size_offset);
    if (page_aligned && base % page_size != 0)
        return fail(VerifyError::misaligned, section, base_offset, base, page_size);
    if (page_aligned && size % page_size != 0)
        return fail(VerifyError::misaligned, section, size_offset, size, page_size);
    if (wraps(base, size))
        return fail(VerifyError::phys_overflow, section, base_offset, base, size);
    return {};
}

inline VerifyResult check_virt_range(SectionId section, uint32_t offset, uint64_t virt,
                                     uint64_t size) {
    if (virt % page_size != 0)
        return fail(VerifyError::misaligned, section, offset, virt, page_size);
    if (wraps(virt, size))
        return fail(VerifyError::virt_overflow, section, offset, virt, size);
    return {};
}

constexpr bool ranges_intersect(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size) {
    return a <= b + (b_size - 1) && b <= a + (a_size - 1);
}

// Canonical id ranges: each first <= last (<= max_id), sorted, disjoint and not adjacent.
inline VerifyResult check_id_ranges(const Layout& l, SectionId section, uint32_t max_id,
                                    VerifyError too_large) {
    const ElemSpan<RangeElem> ranges = elems<RangeElem>(l, section);
    for (uint32_t i = 0; i < ranges.size(); ++i) {
        const RangeElem r = ranges[i];
        const uint32_t first = r.first.get(), last = r.last.get();
        const uint32_t at = ranges.offset_of(i);
        if (first > last)
            return fail(VerifyError::range_inverted, section, at, first, last);
        if (last > max_id)
            return fail(too_large, section, ranges.offset_of(i, offsetof(RangeElem, last)), last,
                        max_id);
        if (i == 0)
            continue;
        const RangeElem prev = ranges[i - 1];
        if (first < prev.first.get())
            return fail(VerifyError::ranges_unsorted, section, at, first, prev.first.get());
        if (first <= prev.last.get())
            return fail(VerifyError::ranges_overlap, section, at, first, prev.last.get());
        if (first == prev.last.get() + 1)
            return fail(VerifyError::ranges_not_merged, section, at, first, prev.last.get());
    }
    return {};
}

// Devices' caps and links' peers are consecutive slices of a child section, in parent order:
// the slice of parent i starts where the one of parent i-1 ended. `next` tracks that position.
inline VerifyResult check_slice(SectionId section, uint32_t first_offset, uint32_t first,
                                uint32_t count, uint32_t children, uint32_t& next) {
    if (first != next)
        return fail(VerifyError::bad_slice, section, first_offset, first, next);
    if (count > children - next)
        return fail(VerifyError::bad_slice, section, first_offset + 4, count, children - next);
    next += count;
    return {};
}

} // namespace jailconf::jcb
