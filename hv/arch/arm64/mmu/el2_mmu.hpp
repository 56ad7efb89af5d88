// The hypervisor's own address space at EL2: an identity map of its image (text read-execute,
// rodata read-only, data/bss read-write and execute-never), the descriptor slot (read-only), and
// the devices it drives (console UART, GIC), nothing else. Cells' memory is not mapped here.
#pragma once

#include <stdint.h>

#include "core/result/result.hpp"

namespace hv::arm64::el2_mmu {

// Builds the map of the image, the descriptor slot and the console at `console_base`, and turns
// on the MMU and caches of the calling (boot) CPU. Publishes the register values for
// secondaries, which load them in hv_secondary_entry.
Result<void> enable_on_boot_cpu(uint64_t console_base);

// Adds a device (MMIO) range to the live map, e.g. the GIC once the descriptor has named it.
Result<void> map_device(uint64_t base, uint64_t size);

// Adds normal memory, read-write and execute-never: the root cell's RAM, which the hypervisor
// reads (cell blobs, images) and writes (zeroing, loading) for the cell lifecycle.
Result<void> map_memory(uint64_t base, uint64_t size);

} // namespace hv::arm64::el2_mmu
