// Stage-2 attribute bits for a cell's memory region, from the descriptor's region flags:
// read/write -> S2AP, execute -> XN, io -> device memory. Pure constexpr (host-testable).
#pragma once

#include <stdint.h>

#include "arch/arm64/mmu/vmsa_format.hpp"
#include "jailconf/format.hpp"

namespace hv::arm64 {

// MemAttr[3:0] (bits [5:2]) for stage 2 is a direct encoding, not a MAIR index.
inline constexpr uint64_t s2_memattr_normal_wb = uint64_t(0xf) << 2;    // outer WB, inner WB
inline constexpr uint64_t s2_memattr_device_ngnre = uint64_t(0x1) << 2; // Device-nGnRE
inline constexpr uint64_t s2ap_read = uint64_t(1) << 6;
inline constexpr uint64_t s2ap_write = uint64_t(1) << 7;

constexpr uint64_t stage2_attributes(uint32_t region_flags) {
    namespace jcb = jailconf::jcb;
    uint64_t attrs = attr_access_flag;
    if ((region_flags & jcb::mem_io) != 0) {
        // Device memory: the guest's own stage-1 attributes cannot make it cacheable, and the
        // device sees every access. Shareability is ignored for device memory.
        attrs |= s2_memattr_device_ngnre;
    } else {
        attrs |= s2_memattr_normal_wb | attr_inner_shareable;
    }
    if ((region_flags & jcb::mem_read) != 0)
        attrs |= s2ap_read;
    if ((region_flags & jcb::mem_write) != 0)
        attrs |= s2ap_write;
    if ((region_flags & jcb::mem_execute) == 0)
        attrs |= attr_execute_never;
    return attrs;
}

} // namespace hv::arm64
