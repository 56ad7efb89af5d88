#include "inmates/lib/gic.hpp"

#include "inmates/lib/inmate.hpp"

namespace inmate::gic {
namespace {

constexpr uint32_t gicd_ctlr = 0x0, isenabler = 0x100, icenabler = 0x180, ispendr = 0x200,
                   ipriorityr = 0x400, irouter = 0x6000;
constexpr uint32_t gicr_typer = 0x8, gicr_waker = 0x14, gicr_sgi = 0x10000, gicr_igroupr0 = 0x80;
constexpr unsigned max_cpus = 8;

uint64_t g_gicd = 0;
uint64_t g_rd[max_cpus] = {}; // this CPU's RD_base, by Aff0
Handler g_handler = nullptr;

volatile uint32_t& reg32(uint64_t address) {
    return *reinterpret_cast<volatile uint32_t*>(uintptr_t(address));
}
volatile uint64_t& reg64(uint64_t address) {
    return *reinterpret_cast<volatile uint64_t*>(uintptr_t(address));
}

uint64_t rd() {
    return g_rd[mpidr() & (max_cpus - 1)];
}

// The register holding `intid`'s bit: in this CPU's SGI frame for SGIs/PPIs, else in the
// distributor.
uint64_t bit_register(uint32_t base, uint32_t intid) {
    return intid < 32 ? rd() + gicr_sgi + base : g_gicd + base + 4 * (intid / 32);
}

} // namespace

bool init_cpu(uint64_t gicd, uint64_t gicr, uint64_t stride) {
    g_gicd = gicd;
    const uint64_t me = mpidr();
    const uint32_t affinity = uint32_t((me >> 32 & 0xff) << 24 | (me & 0xffffff));
    uint64_t frame = gicr;
    for (unsigned i = 0; i < 64; ++i, frame += stride) {
        const uint64_t typer = reg64(frame + gicr_typer);
        if (uint32_t(typer >> 32) == affinity) {
            g_rd[me & (max_cpus - 1)] = frame;
            break;
        }
        if ((typer & (1u << 4)) != 0) // Last
            return false;
    }
    if (rd() == 0)
        return false;
    reg32(rd() + gicr_waker) = reg32(rd() + gicr_waker) & ~2u;
    while ((reg32(rd() + gicr_waker) & 4u) != 0) {
    }
    // Affinity routing, then group 1 enabled. Under the hypervisor only the enable bits are the
    // cell's (the rest reads as the hypervisor set it); on bare metal this sets up the GIC.
    reg32(g_gicd + gicd_ctlr) = reg32(g_gicd + gicd_ctlr) | 0x10u;
    reg32(g_gicd + gicd_ctlr) = reg32(g_gicd + gicd_ctlr) | 0x12u;
    // Every SGI and PPI of this CPU in group 1 (what the hypervisor gives cells anyway).
    reg32(rd() + gicr_sgi + gicr_igroupr0) = 0xffffffff;
    __asm__ volatile("msr icc_sre_el1, %0; isb" : : "r"(uint64_t(7)));
    __asm__ volatile("msr icc_pmr_el1, %0" : : "r"(uint64_t(0xff)));
    __asm__ volatile("msr icc_bpr1_el1, %0" : : "r"(uint64_t(0)));
    __asm__ volatile("msr icc_ctlr_el1, %0" : : "r"(uint64_t(0))); // EOImode 0: EOI deactivates
    __asm__ volatile("msr icc_igrpen1_el1, %0; isb" : : "r"(uint64_t(1)));
    return true;
}

void set_handler(Handler handler) {
    g_handler = handler;
}

void enable(uint32_t intid) {
    reg32(bit_register(isenabler, intid)) = 1u << (intid % 32);
}
void disable(uint32_t intid) {
    reg32(bit_register(icenabler, intid)) = 1u << (intid % 32);
}
bool is_enabled(uint32_t intid) {
    return (reg32(bit_register(isenabler, intid)) >> (intid % 32) & 1) != 0;
}
void set_pending(uint32_t intid) {
    reg32(bit_register(ispendr, intid)) = 1u << (intid % 32);
}
void set_priority(uint32_t intid, uint8_t priority) {
    const uint64_t base = intid < 32 ? rd() + gicr_sgi : g_gicd;
    *reinterpret_cast<volatile uint8_t*>(uintptr_t(base + ipriorityr + intid)) = priority;
}
void route(uint32_t spi, uint64_t target) {
    reg64(g_gicd + irouter + 8 * spi) = target & 0xff00ffffffull;
}
uint64_t route_of(uint32_t spi) {
    return reg64(g_gicd + irouter + 8 * spi);
}

void send_sgi(uint64_t target, uint32_t intid) {
    const uint64_t value = (target >> 32 & 0xff) << 48 | (target >> 16 & 0xff) << 32 |
                           uint64_t(intid & 0xf) << 24 | (target >> 8 & 0xff) << 16 |
                           uint64_t(1) << (target & 0xf);
    __asm__ volatile("dsb ish; msr icc_sgi1r_el1, %0; isb" : : "r"(value) : "memory");
}

} // namespace inmate::gic

// Called from the IRQ vector (start.S): acknowledge, handle, end of interrupt (which, for a
// hardware-linked virtual interrupt, also deactivates the physical one).
extern "C" void inmate_irq() {
    uint64_t iar;
    __asm__ volatile("mrs %0, icc_iar1_el1" : "=r"(iar));
    const uint32_t intid = uint32_t(iar & 0xffffff);
    if (intid >= 1020 && intid <= 1023)
        return;
    if (inmate::gic::g_handler != nullptr)
        inmate::gic::g_handler(intid);
    __asm__ volatile("msr icc_eoir1_el1, %0; isb" : : "r"(iar) : "memory");
}
