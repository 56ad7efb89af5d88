#include "binary/blob_builder.hpp"

#include <cassert>
#include <cstring>

#include "jailconf/seal.hpp"

namespace jailconf::binary {

jcb::Le32 StringTable::intern(std::string_view name) {
    if (name.empty())
        return jcb::Le32::of(0);
    auto [it, inserted] = offsets_.try_emplace(std::string(name), uint32_t(bytes_.size()));
    if (inserted) {
        bytes_.append(name);
        bytes_.push_back('\0');
    }
    return jcb::Le32::of(it->second);
}

void BlobBuilder::add_strings(const StringTable& strings) {
    const auto* p = reinterpret_cast<const uint8_t*>(strings.bytes().data());
    add_raw(jcb::SectionId::strings, 1, uint32_t(strings.bytes().size()),
            {p, p + strings.bytes().size()});
}

void BlobBuilder::add_raw(jcb::SectionId id, uint32_t elem_size, uint32_t count,
                          std::vector<uint8_t> bytes) {
    if (count == 0)
        return;
    assert(sections_.empty() || sections_.back().id < id);
    sections_.push_back(Section{id, elem_size, count, std::move(bytes)});
}

std::vector<uint8_t> BlobBuilder::finish(jcb::BlobArch arch, jcb::BlobKind kind) const {
    const size_t table_end = sizeof(jcb::Header) + sections_.size() * sizeof(jcb::SectionEntry);
    // Offsets are computed in 64 bits so that an oversized system still produces a blob whose
    // header states its real size; the verifier then rejects it as too large.
    std::vector<uint64_t> offsets;
    uint64_t end = table_end;
    for (const Section& s : sections_) {
        const uint64_t offset = (end + jcb::section_alignment - 1) & ~uint64_t(7);
        offsets.push_back(offset);
        end = offset + s.bytes.size();
    }
    const uint64_t total = (end + jcb::section_alignment - 1) & ~uint64_t(7);

    std::vector<uint8_t> blob(total, 0);
    jcb::Header h{};
    std::memcpy(h.magic, jcb::magic, sizeof(h.magic));
    h.version.set(jcb::format_version);
    h.header_size.set(sizeof(jcb::Header));
    h.arch = uint8_t(arch);
    h.kind = uint8_t(kind);
    h.section_count.set(uint16_t(sections_.size()));
    h.total_size.set(uint32_t(total > UINT32_MAX ? UINT32_MAX : total));
    std::memcpy(blob.data(), &h, sizeof(h));
    for (size_t i = 0; i < sections_.size(); ++i) {
        const Section& s = sections_[i];
        jcb::SectionEntry e{};
        e.id.set(uint16_t(s.id));
        e.offset.set(uint32_t(offsets[i]));
        e.count.set(s.count);
        e.elem_size.set(s.elem_size);
        std::memcpy(blob.data() + sizeof(jcb::Header) + i * sizeof(e), &e, sizeof(e));
        std::memcpy(blob.data() + offsets[i], s.bytes.data(), s.bytes.size());
    }
    jcb::seal(blob.data(), blob.size());
    return blob;
}

} // namespace jailconf::binary
