// A cell's stage-2 translation (guest IPA -> physical address), built from its descriptor's
// memory regions with exact permissions, and the registers that select it on a CPU.
#pragma once

#include <stdint.h>

#include "core/result/result.hpp"
#include "jailconf/blob_view.hpp"

namespace hv::arm64::stage2 {

struct Stage2 {
    uint64_t vttbr = 0; // root table address and VMID
};

// When building fails, `failed_region` is the index of the region that could not be mapped.
struct BuildError {
    Error error = Error::ok;
    uint32_t failed_region = 0;
};

// Maps every region of `cell` (IPA `virt` -> `phys`, `size`) with attributes from its flags
// (stage2_attributes.hpp); tables come from the hypervisor's table pool.
Result<Stage2> build(const jailconf::jcb::BlobView& cell, uint8_t vmid, BuildError& error);

// VTCR_EL2 for the stage-2 layout build() creates.
uint64_t vtcr_el2();

} // namespace hv::arm64::stage2
