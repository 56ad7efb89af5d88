// The GIC as the cells see it, on the arm64 side: trapped distributor and redistributor accesses
// (decoded from the data abort syndrome) and trapped ICC_SGI1R_EL1 writes go to the core model
// (core/gic/virtual_gic.hpp); physical interrupts of the running cell become virtual interrupts
// in the list registers. An SPI or the virtual timer PPI is hardware-linked (HW = 1, pINTID = its
// INTID): the hypervisor only drops its priority, and the cell's EOI deactivates the physical
// interrupt. Virtual SGIs are software entries. When all list registers are taken, entries wait
// in a small per-CPU queue and the maintenance interrupt (underflow) refills them.
#pragma once

#include <stdint.h>

#include "arch/arm64/cpu/trap_frame.hpp"
#include "arch/arm64/guest/cell_runtime.hpp"

namespace hv::arm64::vgic {

// A CPU entering a cell: list registers, active priorities and the virtual CPU interface's
// control start clean, the virtual CPU interface is enabled, and the physical timer PPI is
// disabled and inactive (nothing of the CPU's previous cell is delivered).
void reset_for_cell(unsigned cpu);

// A physical IRQ taken from `cell` on `cpu`: acknowledged, and either delivered to the cell or
// handled by the hypervisor. Returns the INTID (park_sgi tells the caller to check the cell's
// state), or gic::spurious.
uint32_t handle_irq(const RunningCell& cell, unsigned cpu);

// Injects the virtual SGIs pending for `cpu` (the calling CPU) that its cell enabled.
void deliver_pending_sgis(unsigned cpu);

// Delivers the pending, enabled link doorbells of the cell in `slot` on its first CPU: at once
// when that is the calling CPU, else by the kick SGI (when the CPU is on).
void kick_doorbells(unsigned slot);

// Whether a stage-2 abort at `ipa` is an access to the GIC the hypervisor emulates.
bool is_gic_address(uint64_t ipa);
// Emulates a trapped GIC access with a valid syndrome (ESR ISV = 1) and steps over it.
void emulate_mmio(TrapFrame& frame, const RunningCell& cell, unsigned cpu, uint64_t esr,
                  uint64_t ipa);
// A trapped MSR/MRS (EC 0x18): ICC_SGI1R_EL1 is emulated (SGIs only to the cell's CPUs),
// ICC_SGI0R_EL1 and ICC_ASGI1R_EL1 are ignored. Returns false for any other register.
bool emulate_sysreg(TrapFrame& frame, const RunningCell& cell, unsigned cpu, uint64_t esr);

} // namespace hv::arm64::vgic
