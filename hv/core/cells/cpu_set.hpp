// A set of CPU indices (the descriptor's CPU ids) below cpu_limit.
#pragma once

#include <stdint.h>

namespace hv::cells {

// The most CPUs this build manages; per-CPU stacks and state are sized by it.
inline constexpr unsigned cpu_limit = 8;

class CpuSet {
  public:
    constexpr bool contains(unsigned cpu) const { return cpu < cpu_limit && (bits_ >> cpu) & 1; }
    constexpr void add(unsigned cpu) { bits_ |= uint64_t(1) << cpu; }
    constexpr bool empty() const { return bits_ == 0; }
    constexpr unsigned count() const { return unsigned(__builtin_popcountll(bits_)); }
    constexpr uint64_t bits() const { return bits_; }

  private:
    uint64_t bits_ = 0;
};

} // namespace hv::cells
