// Where each section of a blob lives, as found by the verifier, and a read-only array view of a
// section's elements. Elements are copied out by value: they are byte arrays, so the copy is the
// whole cost of alignment-free access, and no pointer to a struct ever aliases the raw buffer.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "jailconf/format.hpp"

namespace jailconf::jcb {

template <class T> constexpr T load(const uint8_t* p) {
    T t;
    __builtin_memcpy(&t, p, sizeof(T));
    return t;
}

struct SectionRef {
    uint32_t offset = 0; // 0: the section is absent
    uint32_t count = 0;
};

struct Layout {
    const uint8_t* data = nullptr;
    uint32_t size = 0;
    BlobKind kind = BlobKind::system;
    BlobArch arch = BlobArch::arm64;
    SectionRef sections[section_id_max + 1] = {}; // indexed by SectionId

    constexpr SectionRef section(SectionId id) const { return sections[uint16_t(id)]; }
};

template <class T> class ElemSpan {
  public:
    constexpr ElemSpan() = default;
    constexpr ElemSpan(const uint8_t* base, uint32_t base_offset, uint32_t count)
        : base_(base), base_offset_(base_offset), count_(count) {}

    constexpr uint32_t size() const { return count_; }
    constexpr bool empty() const { return count_ == 0; }
    // Callers index below size(); the view is only built over verified sections.
    constexpr T operator[](uint32_t i) const { return load<T>(base_ + size_t(i) * sizeof(T)); }
    // Byte offset of element i (and of its field `field_offset`) in the blob, for messages.
    constexpr uint32_t offset_of(uint32_t i, size_t field_offset = 0) const {
        return base_offset_ + i * uint32_t(sizeof(T)) + uint32_t(field_offset);
    }
    // Elements [first, first + n); the verifier has checked that such slices are in bounds.
    constexpr ElemSpan slice(uint32_t first, uint32_t n) const {
        return ElemSpan(base_ + size_t(first) * sizeof(T), offset_of(first), n);
    }

    class Iterator {
      public:
        constexpr Iterator(const ElemSpan* s, uint32_t i) : s_(s), i_(i) {}
        constexpr T operator*() const { return (*s_)[i_]; }
        constexpr Iterator& operator++() {
            ++i_;
            return *this;
        }
        constexpr bool operator==(const Iterator& o) const { return i_ == o.i_; }

      private:
        const ElemSpan* s_;
        uint32_t i_;
    };
    constexpr Iterator begin() const { return Iterator(this, 0); }
    constexpr Iterator end() const { return Iterator(this, count_); }

  private:
    const uint8_t* base_ = nullptr;
    uint32_t base_offset_ = 0;
    uint32_t count_ = 0;
};

template <class T> constexpr ElemSpan<T> elems(const Layout& l, SectionId id) {
    SectionRef r = l.section(id);
    if (r.offset == 0)
        return {};
    return ElemSpan<T>(l.data + r.offset, r.offset, r.count);
}

} // namespace jailconf::jcb
