// Attribute bits of the hypervisor's own translation (EL2, one VA range, stage 1) and the MAIR
// value they index. Pure constexpr (host-testable).
#pragma once

#include <stdint.h>

#include "arch/arm64/mmu/vmsa_format.hpp"

namespace hv::arm64 {

// MAIR_EL2 slots: 0 normal write-back, 1 device-nGnRE (MMIO), 2 device-nGnRnE.
inline constexpr unsigned mair_normal = 0;
inline constexpr unsigned mair_device = 1;
inline constexpr uint64_t mair_el2_value = 0xffull << (8 * mair_normal) | // Normal WB RA/WA
                                           0x04ull << (8 * mair_device);  // Device-nGnRE

enum class El2Access { read_execute, read_only, read_write };

// AP[2] (bit 7) set means read-only at EL2. AP[1] (bit 6) is RES1 in a regime with a single
// privilege level (ARM ARM D4.4), so it is always set. Anything writable is execute-never
// (together with SCTLR_EL2.WXN).
inline constexpr uint64_t el2_ap1_res1 = uint64_t(1) << 6;

constexpr uint64_t el2_normal(El2Access access) {
    uint64_t attrs =
        uint64_t(mair_normal) << 2 | attr_inner_shareable | attr_access_flag | el2_ap1_res1;
    if (access != El2Access::read_write)
        attrs |= uint64_t(1) << 7;
    if (access != El2Access::read_execute)
        attrs |= attr_execute_never;
    return attrs;
}

// MMIO: read-write, never executable, device memory is not shareable-tagged.
constexpr uint64_t el2_device() {
    return uint64_t(mair_device) << 2 | attr_access_flag | el2_ap1_res1 | attr_execute_never;
}

} // namespace hv::arm64
