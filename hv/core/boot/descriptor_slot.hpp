// The system descriptor is placed by the boot loader (QEMU's generic loader) at a fixed address
// inside the hypervisor's memory, the descriptor slot (docs/boot-protocol.md). These helpers find
// how many bytes of the slot to hand to the verifier; the verifier decides whether they are a
// valid descriptor.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/result/result.hpp"

namespace hv::boot {

// Error::no_descriptor when the slot's first 64 bytes (a header's worth) are all zero: memory
// nobody loaded anything into. Otherwise the blob's total_size field, bounded to [64, slot_size],
// so that a wrong size is reported by the verifier (truncated, too large) with its offset.
Result<size_t> descriptor_extent(const uint8_t* slot, size_t slot_size);

} // namespace hv::boot
