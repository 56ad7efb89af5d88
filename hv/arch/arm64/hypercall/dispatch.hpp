// The hypercall ABI (schema/include/jailconf/hypercall.hpp) on arm64: decodes the registers of
// an HVC or SMC whose function id lies in the vendor-specific hypervisor range, checks who may
// make the call, runs it, and writes the results back into the caller's registers.
#pragma once

#include "arch/arm64/cpu/trap_frame.hpp"
#include "arch/arm64/guest/cell_runtime.hpp"

namespace hv::arm64::hypercall {

void dispatch(TrapFrame& frame, RunningCell& caller, unsigned cpu);
// SMCCC's vendor-specific hypervisor service Call UID (0x8600ff01, any cell): the Jailconf UUID
// in x0..x3 (jailconf::hypercall::jailconf_uid), so a cell can tell it runs under Jailconf.
void call_uid(TrapFrame& frame);

} // namespace hv::arm64::hypercall
