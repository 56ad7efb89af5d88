// The physical GICv3, owned by the hypervisor. The distributor runs with affinity routing; every
// SPI is group 1 at the cells' priority and stays disabled until its owner enables it through
// the emulated distributor (core/gic/virtual_gic.hpp). Each CPU wakes its redistributor and
// enables the hypervisor's own interrupts there: the park SGI (a stopping cell's CPUs come back
// to EL2), the kick SGI (virtual SGIs of the cell are waiting), and the maintenance interrupt
// (list registers free again). Physical interrupts reach EL2 while a cell runs (HCR_EL2.IMO);
// the CPU interface runs with EOImode 1 at EL2, so a priority drop and the deactivation are
// separate: an interrupt for the cell is dropped at EL2 and deactivated by the cell's own EOI
// (hardware-linked list register entry, virtual_interrupts.hpp).
#pragma once

#include <stdint.h>

#include "core/gic/virtual_gic.hpp"
#include "core/result/result.hpp"

namespace hv::arm64::gic {

// The SGI that tells a CPU to look at its cell's state (and park if it is stopping).
inline constexpr uint32_t park_sgi = 8;
// The SGI that tells a CPU that another CPU of its cell sent it virtual SGIs.
inline constexpr uint32_t kick_sgi = 9;
// The virtual CPU interface's maintenance interrupt (PPI 25 on QEMU virt and the Arm SBSA).
inline constexpr uint32_t maintenance_ppi = 25;
// The EL2 physical timer (the hypervisor's tick, CPU 0 only; arch/arm64/monitor/tick.hpp).
inline constexpr uint32_t hyp_timer_ppi = 26;
inline constexpr uint32_t spurious = 1023;

// Boot CPU, once: remembers where the GIC is (descriptor addresses, already mapped at EL2),
// puts every SPI in group 1, disabled, at the cells' priority, and enables the distributor.
void init_distributor(uint64_t gicd, uint64_t gicr, uint64_t gicr_stride, unsigned gicr_frames);
// Boot CPU, once the CPU topology is known: which redistributor frame is which CPU's, for the
// emulation.
void map_frames(const uint64_t* mpidr_of_cpu);
// Every CPU, before it enters a cell: redistributor awake, the hypervisor's SGIs and PPIs
// enabled, CPU interface on with EOImode 1. Error::out_of_range when no redistributor has this
// CPU's affinity.
Result<void> init_this_cpu(unsigned cpu, uint64_t mpidr);

uint64_t distributor_base();
uint64_t redistributor_base();
uint64_t redistributor_stride();

// Writes a 32-bit register of CPU `cpu`'s SGI_base frame.
void write_sgi_frame(unsigned cpu, uint32_t offset, uint32_t value);

hv::gic::VirtualGic& virtual_gic();

void send_sgi(uint64_t target_mpidr, uint32_t intid);
// ICC_IAR1_EL1: the highest-priority pending interrupt's INTID, or `spurious`.
uint32_t acknowledge();
void priority_drop(uint32_t intid); // ICC_EOIR1_EL1
void deactivate(uint32_t intid);    // ICC_DIR_EL1

} // namespace hv::arm64::gic
