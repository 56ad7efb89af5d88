// Verifier, first half: the header, the integrity fields, the section table and the placement of
// the sections. After verify_structure() succeeds every section in the Layout lies inside the
// blob, is aligned, has the v1 element size and a count within the limits, and every byte that
// belongs to no section is a zero padding byte.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "jailconf/crc32c.hpp"
#include "jailconf/format.hpp"
#include "jailconf/layout.hpp"
#include "jailconf/limits.hpp"
#include "jailconf/sha256.hpp"
#include "jailconf/verify_result.hpp"

namespace jailconf::jcb {

inline VerifyResult fail(VerifyError e, uint16_t section, uint32_t offset, uint64_t value = 0,
                         uint64_t other = 0) {
    return VerifyResult{e, section, offset, value, other};
}
inline VerifyResult fail(VerifyError e, SectionId section, uint32_t offset, uint64_t value = 0,
                         uint64_t other = 0) {
    return fail(e, uint16_t(section), offset, value, other);
}

// CRC-32C of the header with the header_crc32c field taken as zero.
inline uint32_t header_crc(const uint8_t* header) {
    constexpr size_t field = offsetof(Header, header_crc32c);
    constexpr uint8_t zero[4] = {};
    uint32_t c = crc32c_update(crc32c_init, header, field);
    c = crc32c_update(c, zero, 4);
    c = crc32c_update(c, header + field + 4, sizeof(Header) - field - 4);
    return crc32c_final(c);
}

// Everything up to the section table: identity, size and integrity.
inline VerifyResult verify_header(const uint8_t* data, size_t size) {
    constexpr uint32_t hs = sizeof(Header);
    if (size < hs)
        return fail(VerifyError::truncated_header, 0, 0, size, hs);
    if (__builtin_memcmp(data, magic, sizeof(magic)) != 0)
        return fail(VerifyError::bad_magic, 0, 0);
    Header h = load<Header>(data);
    if (h.version.get() != format_version)
        return fail(VerifyError::bad_version, 0, offsetof(Header, version), h.version.get(),
                    format_version);
    if (h.header_size.get() != hs)
        return fail(VerifyError::bad_header_size, 0, offsetof(Header, header_size),
                    h.header_size.get(), hs);
    const uint32_t total = h.total_size.get();
    if (total > limits::max_blob_size)
        return fail(VerifyError::too_large, 0, offsetof(Header, total_size), total,
                    limits::max_blob_size);
    if (size < total)
        return fail(VerifyError::truncated, 0, uint32_t(size), total, size);
    if (size > total)
        return fail(VerifyError::trailing_bytes, 0, total, total, size);
    if (uint32_t crc = header_crc(data); crc != h.header_crc32c.get())
        return fail(VerifyError::header_crc_mismatch, 0, offsetof(Header, header_crc32c),
                    h.header_crc32c.get(), crc);
    for (uint32_t i = 0; i < sizeof(h.reserved); ++i)
        if (h.reserved[i] != 0)
            return fail(VerifyError::reserved_not_zero, 0, offsetof(Header, reserved) + i,
                        h.reserved[i]);
    if (h.arch == 0 || h.arch > arch_max)
        return fail(VerifyError::bad_arch, 0, offsetof(Header, arch), h.arch, arch_max);
    if (h.kind != uint8_t(BlobKind::system) && h.kind != uint8_t(BlobKind::cell))
        return fail(VerifyError::bad_kind, 0, offsetof(Header, kind), h.kind);
    if (uint32_t crc = crc32c(data + hs, total - hs); crc != h.payload_crc32c.get())
        return fail(VerifyError::payload_crc_mismatch, 0, offsetof(Header, payload_crc32c),
                    h.payload_crc32c.get(), crc);
    uint8_t digest[Sha256::digest_size];
    sha256(data + hs, total - hs, digest);
    if (__builtin_memcmp(digest, h.payload_sha256, sizeof(digest)) != 0)
        return fail(VerifyError::sha256_mismatch, 0, offsetof(Header, payload_sha256));
    return {};
}

// One table entry: id order, permission for the blob kind, element size, count, placement.
inline VerifyResult verify_entry(const uint8_t* data, uint32_t total, uint32_t table_end,
                                 uint32_t entry_offset, uint16_t previous_id, BlobKind kind,
                                 SectionRef& out) {
    const SectionEntry e = load<SectionEntry>(data + entry_offset);
    const uint16_t id = e.id.get();
    const SectionRule* rule = section_rule(id);
    if (!rule)
        return fail(VerifyError::unknown_section, 0, entry_offset, id);
    if (id == previous_id)
        return fail(VerifyError::duplicate_section, id, entry_offset, id);
    if (id < previous_id)
        return fail(VerifyError::unordered_section, id, entry_offset, id, previous_id);
    if (e.reserved.get() != 0)
        return fail(VerifyError::reserved_not_zero, id, entry_offset + 2, e.reserved.get());
    if (!(rule->allowed & kind_bit(kind)))
        return fail(VerifyError::section_not_allowed, id, entry_offset, id, uint8_t(kind));
    if (e.elem_size.get() != rule->elem_size)
        return fail(VerifyError::bad_elem_size, id, entry_offset + 12, e.elem_size.get(),
                    rule->elem_size);
    const uint32_t count = e.count.get();
    if (count == 0)
        return fail(VerifyError::empty_section, id, entry_offset + 8, id);
    if (count > rule->max_count)
        return fail(VerifyError::count_over_limit, id, entry_offset + 8, count, rule->max_count);
    const uint32_t offset = e.offset.get();
    if (offset % section_alignment != 0)
        return fail(VerifyError::section_misaligned, id, offset, offset, section_alignment);
    if (offset < table_end)
        return fail(VerifyError::section_overlaps_table, id, offset, offset, table_end);
    // 64-bit arithmetic: count and elem_size are bounded above, so this cannot wrap.
    const uint64_t end = uint64_t(offset) + uint64_t(count) * rule->elem_size;
    if (end > total)
        return fail(VerifyError::section_out_of_bounds, id, offset, end, total);
    out = SectionRef{offset, count};
    return {};
}

constexpr uint32_t section_end(const Layout& l, uint16_t id) {
    return l.sections[id].offset + l.sections[id].count * section_rules[id - 1].elem_size;
}

// Pairwise overlap of the present sections, then every byte outside them must be zero.
inline VerifyResult verify_placement(const Layout& l, uint32_t table_end) {
    for (uint16_t a = 1; a <= section_id_max; ++a) {
        if (l.sections[a].offset == 0)
            continue;
        for (uint16_t b = 1; b < a; ++b) {
            if (l.sections[b].offset == 0)
                continue;
            if (l.sections[a].offset < section_end(l, b) &&
                l.sections[b].offset < section_end(l, a))
                return fail(VerifyError::section_overlap, a, l.sections[a].offset, b);
        }
    }
    // Walk the gaps in offset order; at most section_id_max sections, so selection is enough.
    uint32_t pos = table_end;
    while (pos < l.size) {
        uint32_t next = l.size; // start of the nearest section at or after pos
        uint16_t next_id = 0;
        for (uint16_t id = 1; id <= section_id_max; ++id)
            if (l.sections[id].offset != 0 && l.sections[id].offset >= pos &&
                l.sections[id].offset < next) {
                next = l.sections[id].offset;
                next_id = id;
            }
        for (; pos < next; ++pos)
            if (l.data[pos] != 0)
                return fail(VerifyError::padding_not_zero, 0, pos, l.data[pos]);
        if (next_id != 0)
            pos = section_end(l, next_id);
    }
    return {};
}

// Header, table and placement; fills `l`.
inline VerifyResult verify_structure(const uint8_t* data, size_t size, Layout& l) {
    l = Layout{};
    if (VerifyResult r = verify_header(data, size); !r.ok())
        return r;
    const Header h = load<Header>(data);
    l.data = data;
    l.size = h.total_size.get(); // equal to size, which is therefore below 4 GiB
    l.kind = BlobKind(h.kind);
    l.arch = BlobArch(h.arch);
    const uint32_t hs = sizeof(Header);
    const uint64_t table_end = hs + uint64_t(h.section_count.get()) * sizeof(SectionEntry);
    if (table_end > l.size)
        return fail(VerifyError::table_out_of_bounds, 0, hs, table_end, l.size);
    uint16_t previous_id = 0;
    for (uint16_t i = 0; i < h.section_count.get(); ++i) {
        const uint32_t entry_offset = hs + i * uint32_t(sizeof(SectionEntry));
        SectionRef ref;
        if (VerifyResult r = verify_entry(l.data, l.size, uint32_t(table_end), entry_offset,
                                          previous_id, l.kind, ref);
            !r.ok())
            return r;
        previous_id = load_le16(l.data + entry_offset);
        l.sections[previous_id] = ref;
    }
    for (uint16_t id = 1; id <= section_id_max; ++id)
        if ((section_rules[id - 1].required & kind_bit(l.kind)) && l.sections[id].offset == 0)
            return fail(VerifyError::missing_section, id, hs, id);
    return verify_placement(l, uint32_t(table_end));
}

} // namespace jailconf::jcb
