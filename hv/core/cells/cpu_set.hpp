// A set of CPU indices (the descriptor's CPU ids) below cpu_limit.
#pragma once

#include <stdint.h>

namespace hv::cells {

// The most CPUs this build manages; per-CPU stacks and state are sized by it.
inline constexpr unsigned cpu_limit = 8;

class CpuSet {
  public:
    constexpr bool contains(unsigned cpu) const { return cpu < cpu_limit && (bits_ >> cpu) & 1; }
    constexpr void add(unsigned cpu) {
        if (cpu < cpu_limit)
            bits_ |= uint64_t(1) << cpu;
    }
    constexpr void remove(unsigned cpu) {
        if (cpu < cpu_limit)
            bits_ &= ~(uint64_t(1) << cpu);
    }
    constexpr void add_all(CpuSet other) { bits_ |= other.bits_; }
    constexpr void remove_all(CpuSet other) { bits_ &= ~other.bits_; }
    constexpr bool intersects(CpuSet other) const { return (bits_ & other.bits_) != 0; }
    // The lowest CPU in the set, or cpu_limit when it is empty.
    constexpr unsigned first() const {
        return bits_ == 0 ? cpu_limit : unsigned(__builtin_ctzll(bits_));
    }
    constexpr bool empty() const { return bits_ == 0; }
    constexpr unsigned count() const { return unsigned(__builtin_popcountll(bits_)); }
    constexpr uint64_t bits() const { return bits_; }

  private:
    uint64_t bits_ = 0;
};

} // namespace hv::cells
