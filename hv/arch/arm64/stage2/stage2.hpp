// A cell's stage-2 translation (guest IPA -> physical address), built from its descriptor's
// memory regions with exact permissions, and the registers that select it on a CPU.
#pragma once

#include <stdint.h>

#include "arch/arm64/mmu/translation_tables.hpp"
#include "core/result/result.hpp"
#include "jailconf/blob_view.hpp"

namespace hv::arm64::stage2 {

struct Stage2 {
    TableBuilder tables; // kept to move memory in and out and to release the tables
    uint64_t vttbr = 0;  // root table address and VMID
};

// When building fails, `failed_region` is the index of the region that could not be mapped.
struct BuildError {
    Error error = Error::ok;
    uint32_t failed_region = 0;
};

// Maps every region of `cell` (IPA `virt` -> `phys`, `size`) with attributes from its flags
// (stage2_attributes.hpp); tables come from the hypervisor's table pool.
Result<Stage2> build(const jailconf::jcb::BlobView& cell, uint8_t vmid, BuildError& error);

// Invalidates the stage-1 and stage-2 TLB entries of the VMID current on the calling CPU, on
// every CPU of the inner shareable domain (after a mapping was removed or split).
void invalidate_current_vmid();

// VTCR_EL2 for the stage-2 layout build() creates.
uint64_t vtcr_el2();

} // namespace hv::arm64::stage2
