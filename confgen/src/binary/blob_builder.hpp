// Lays out one descriptor: collects the string table and the element arrays of each section,
// then writes header, section table and bodies (8-aligned, in id order) and seals the blob.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "jailconf/format.hpp"

namespace jailconf::binary {

// NUL-terminated names, deduplicated, in order of first use; offset 0 is the empty string.
class StringTable {
  public:
    StringTable() : bytes_(1, '\0') {}
    jcb::Le32 intern(std::string_view name);
    const std::string& bytes() const { return bytes_; }

  private:
    std::string bytes_;
    std::unordered_map<std::string, uint32_t> offsets_;
};

class BlobBuilder {
  public:
    // Sections must be added in ascending id order; an empty array adds nothing (absent).
    template <class T> void add(jcb::SectionId id, const std::vector<T>& elems) {
        static_assert(alignof(T) == 1, "element structs are byte arrays");
        const auto* p = reinterpret_cast<const uint8_t*>(elems.data());
        add_raw(id, sizeof(T), uint32_t(elems.size()), {p, p + elems.size() * sizeof(T)});
    }
    template <class T> void add_one(jcb::SectionId id, const T& elem) {
        add(id, std::vector<T>{elem});
    }
    void add_strings(const StringTable& strings);

    std::vector<uint8_t> finish(jcb::BlobArch arch, jcb::BlobKind kind) const;

  private:
    struct Section {
        jcb::SectionId id;
        uint32_t elem_size;
        uint32_t count;
        std::vector<uint8_t> bytes;
    };
    void add_raw(jcb::SectionId id, uint32_t elem_size, uint32_t count, std::vector<uint8_t> bytes);

    std::vector<Section> sections_;
};

} // namespace jailconf::binary
