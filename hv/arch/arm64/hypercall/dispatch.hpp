// The hypercall ABI (schema/include/jailconf/hypercall.hpp) on arm64: decodes the registers of
// an HVC or SMC whose function id lies in the vendor-specific hypervisor range, checks who may
// make the call, runs it, and writes the results back into the caller's registers.
#pragma once

#include "arch/arm64/cpu/trap_frame.hpp"
#include "arch/arm64/guest/cell_runtime.hpp"

namespace hv::arm64::hypercall {

void dispatch(TrapFrame& frame, RunningCell& caller, unsigned cpu);

} // namespace hv::arm64::hypercall
