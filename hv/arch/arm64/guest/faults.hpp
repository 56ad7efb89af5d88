// Fault attribution on arm64: every stray abort, forbidden register access or SError of a cell is
// named (what the address belongs to, by the descriptors: core/faults/attribution.hpp), printed,
// and counted for the cell (core/faults/fault_log.hpp), which the root reads with fault_read.
#pragma once

#include <stdint.h>

#include "arch/arm64/guest/cell_runtime.hpp"
#include "core/faults/fault_log.hpp"
#include "jailconf/blob_view.hpp"

namespace hv::arm64::faults {

// The verified system descriptor, for attribution (set once at boot, before any cell runs).
void set_system(const jailconf::jcb::BlobView& system);

hv::faults::FaultLog& log();

// Counts a fault of `cell` on `cpu` and prints what its address belongs to (when it is an abort
// and the descriptors know the address).
void record(const RunningCell& cell, unsigned cpu, hv::faults::FaultKind kind, uint64_t address,
            uint64_t pc, uint64_t esr);

} // namespace hv::arm64::faults
