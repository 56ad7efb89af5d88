// A set of GIC interrupt ids (INTIDs 0..1023: SGIs, PPIs and SPIs), as descriptors list them.
#pragma once

#include <stdint.h>

namespace hv::cells {

inline constexpr uint32_t irq_limit = 1024;

class IrqSet {
  public:
    constexpr bool contains(uint32_t irq) const {
        return irq < irq_limit && (words_[irq / 64] >> (irq % 64) & 1) != 0;
    }
    constexpr void add(uint32_t irq) {
        if (irq < irq_limit)
            words_[irq / 64] |= uint64_t(1) << (irq % 64);
    }
    constexpr void remove(uint32_t irq) {
        if (irq < irq_limit)
            words_[irq / 64] &= ~(uint64_t(1) << (irq % 64));
    }
    constexpr void add_all(const IrqSet& other) {
        for (unsigned i = 0; i < words; ++i)
            words_[i] |= other.words_[i];
    }
    constexpr void remove_all(const IrqSet& other) {
        for (unsigned i = 0; i < words; ++i)
            words_[i] &= ~other.words_[i];
    }
    constexpr bool empty() const {
        for (uint64_t w : words_)
            if (w != 0)
                return false;
        return true;
    }

    // INTIDs 64 * i .. 64 * i + 63, bit n = INTID 64 * i + n (for scans that must be fast).
    static constexpr unsigned words = irq_limit / 64;
    constexpr uint64_t word(unsigned i) const { return i < words ? words_[i] : 0; }

  private:
    uint64_t words_[words] = {};
};

} // namespace hv::cells
