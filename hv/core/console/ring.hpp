// The hypervisor console's ring buffer: everything the hypervisor prints (its own lines and the
// cells' prefixed lines) also lands here, and the root cell reads it with the console_read
// hypercall (docs/hypercalls.md). Positions count bytes since boot, so a reader that keeps its
// position reads each byte once and sees when older bytes were overwritten before it got to them.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/sync/spinlock.hpp"

namespace hv::console {

class Ring {
  public:
    static constexpr size_t capacity = 16384;

    void append(const char* text, size_t length);

    struct Read {
        size_t copied = 0;   // bytes written to `out`
        uint64_t first = 0;  // the position of out[0] (later than `from` if those were lost)
        uint64_t next = 0;   // the position after the last byte copied
        uint64_t oldest = 0; // the oldest position still held
    };
    // Copies up to `max` bytes starting at position `from` (or the oldest held, if later).
    Read read(uint64_t from, char* out, size_t max) const;
    uint64_t end() const;

  private:
    mutable Spinlock lock_;
    char bytes_[capacity] = {};
    uint64_t total_ = 0; // bytes appended since boot
};

// The hypervisor's one ring.
Ring& ring();

} // namespace hv::console
