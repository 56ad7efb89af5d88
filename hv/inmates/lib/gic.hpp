// The inmate side of the GICv3: the CPU interface through the ICC system registers (the
// hypervisor makes them the virtual CPU interface), and the distributor and this CPU's
// redistributor through their MMIO frames (emulated by the hypervisor, which lets a cell touch
// only its own interrupts). Also works on bare metal. Interrupts go to one handler per image.
#pragma once

#include <stdint.h>

namespace inmate::gic {

// QEMU virt's GICv3 (examples/hv/*.yaml).
inline constexpr uint64_t qemu_virt_gicd = 0x08000000;
inline constexpr uint64_t qemu_virt_gicr = 0x080a0000;
inline constexpr uint64_t qemu_virt_gicr_stride = 0x20000;
inline constexpr uint32_t vtimer_ppi = 27;
inline constexpr uint32_t spurious = 1023;

using Handler = void (*)(uint32_t intid);

// This CPU: finds its redistributor (by MPIDR), wakes it, turns on the CPU interface with every
// priority unmasked; the first call also enables group 1 in the distributor. False when no
// redistributor has this CPU's affinity.
bool init_cpu(uint64_t gicd = qemu_virt_gicd, uint64_t gicr = qemu_virt_gicr,
              uint64_t stride = qemu_virt_gicr_stride);
void set_handler(Handler handler);

// SGIs and PPIs act on this CPU's redistributor, SPIs on the distributor.
void enable(uint32_t intid);
void disable(uint32_t intid);
bool is_enabled(uint32_t intid);
void set_priority(uint32_t intid, uint8_t priority);
void set_pending(uint32_t intid);
// An SPI's route (GICD_IROUTER) to the CPU with this MPIDR affinity, and what it reads back.
void route(uint32_t spi, uint64_t mpidr);
uint64_t route_of(uint32_t spi);

// ICC_SGI1R_EL1 to one CPU (Aff0 below 16).
void send_sgi(uint64_t mpidr, uint32_t intid);

inline void irqs_on() {
    __asm__ volatile("msr daifclr, #2" ::: "memory");
}
inline void irqs_off() {
    __asm__ volatile("msr daifset, #2" ::: "memory");
}

} // namespace inmate::gic
