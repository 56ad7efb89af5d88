// The GICv3 as far as the hypervisor uses it this round: its own software-generated interrupt
// (SGI) to bring a CPU running a cell back into EL2, so that every CPU of a stopping cell parks.
// The distributor is enabled with affinity routing; each CPU wakes its redistributor, enables
// the SGI at group 1, and turns on its system-register CPU interface. Physical interrupts reach
// EL2 while a cell runs because HCR_EL2.IMO is set (cell_runtime.cpp).
#pragma once

#include <stdint.h>

#include "core/result/result.hpp"

namespace hv::arm64::gic {

// The SGI that tells a CPU to look at its cell's state (and park if it is stopping).
inline constexpr uint32_t park_sgi = 8;
inline constexpr uint32_t spurious = 1023;

// Boot CPU, once: remembers where the GIC is (descriptor addresses, already mapped at EL2) and
// enables the distributor.
void init_distributor(uint64_t gicd, uint64_t gicr, uint64_t gicr_stride, unsigned gicr_frames);
// Every CPU, before it enters a cell: redistributor awake, park SGI enabled, CPU interface on.
// Error::out_of_range when no redistributor has this CPU's affinity.
Result<void> init_this_cpu(uint64_t mpidr);

void send_sgi(uint64_t target_mpidr, uint32_t intid);
// Acknowledges the highest-priority pending interrupt (its INTID, or `spurious`) and, for a
// real one, completes it (priority drop and deactivation, EOImode 0).
uint32_t acknowledge_and_complete();

} // namespace hv::arm64::gic
