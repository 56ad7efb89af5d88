#include "arch/arm64/gic/gicv3.hpp"

#include "arch/arm64/cpu/sysreg.hpp"

namespace hv::arm64::gic {
namespace {

// Distributor (GICv3 spec, 12.9): GICD_CTLR with ARE (bit 4, affinity routing; the single
// security state QEMU virt has without EL3), EnableGrp1 (bit 1), EnableGrp0 (bit 0), and RWP
// (bit 31) while a write is in progress.
constexpr uint64_t gicd_ctlr = 0x0;
constexpr uint32_t ctlr_are = 1u << 4, ctlr_grp1 = 1u << 1, ctlr_grp0 = 1u << 0;
constexpr uint32_t ctlr_rwp = 1u << 31;
// Redistributor RD_base frame: GICR_TYPER (affinity in [63:32], Last in bit 4) and GICR_WAKER
// (ProcessorSleep bit 1, ChildrenAsleep bit 2). The SGI_base frame follows 64 KiB later.
constexpr uint64_t gicr_typer = 0x8, gicr_waker = 0x14;
constexpr uint32_t waker_processor_sleep = 1u << 1, waker_children_asleep = 1u << 2;
constexpr uint64_t gicr_sgi_frame = 0x10000;
constexpr uint64_t gicr_igroupr0 = 0x80, gicr_isenabler0 = 0x100, gicr_ipriorityr = 0x400;
constexpr uint8_t park_priority = 0x80;
// Polls of a status bit before giving up: the GIC answers in a few accesses; a bounded loop
// keeps a broken one from hanging the boot.
constexpr unsigned poll_limit = 1000000;

uint64_t g_gicd = 0, g_gicr = 0, g_stride = 0;
unsigned g_frames = 0;

volatile uint32_t& reg32(uint64_t address) {
    return *reinterpret_cast<volatile uint32_t*>(uintptr_t(address));
}
uint64_t read64(uint64_t address) {
    return *reinterpret_cast<volatile uint64_t*>(uintptr_t(address));
}

void wait_for_distributor() {
    for (unsigned i = 0; i < poll_limit && (reg32(g_gicd + gicd_ctlr) & ctlr_rwp) != 0; ++i) {
    }
}

// MPIDR Aff3.Aff2.Aff1.Aff0 packed as GICR_TYPER.Affinity_Value holds it.
uint32_t packed_affinity(uint64_t mpidr) {
    return uint32_t((mpidr >> 32 & 0xff) << 24 | (mpidr & 0xffffff));
}

} // namespace

void init_distributor(uint64_t gicd, uint64_t gicr, uint64_t gicr_stride, unsigned gicr_frames) {
    g_gicd = gicd;
    g_gicr = gicr;
    g_stride = gicr_stride;
    g_frames = gicr_frames;
    // Affinity routing first, then the groups (changing ARE with groups enabled is not allowed).
    reg32(g_gicd + gicd_ctlr) = ctlr_are;
    wait_for_distributor();
    reg32(g_gicd + gicd_ctlr) = ctlr_are | ctlr_grp1 | ctlr_grp0;
    wait_for_distributor();
}

Result<void> init_this_cpu(uint64_t mpidr) {
    uint64_t rd = 0;
    for (unsigned i = 0; i < g_frames; ++i) {
        const uint64_t frame = g_gicr + uint64_t(i) * g_stride;
        const uint64_t typer = read64(frame + gicr_typer);
        if (uint32_t(typer >> 32) == packed_affinity(mpidr)) {
            rd = frame;
            break;
        }
        if ((typer & (1u << 4)) != 0) // Last: no redistributor after this one
            break;
    }
    if (rd == 0)
        return Error::out_of_range;
    reg32(rd + gicr_waker) = reg32(rd + gicr_waker) & ~waker_processor_sleep;
    for (unsigned i = 0; i < poll_limit && (reg32(rd + gicr_waker) & waker_children_asleep) != 0;
         ++i) {
    }
    const uint64_t sgi = rd + gicr_sgi_frame;
    reg32(sgi + gicr_igroupr0) = reg32(sgi + gicr_igroupr0) | 1u << park_sgi;
    *reinterpret_cast<volatile uint8_t*>(uintptr_t(sgi + gicr_ipriorityr + park_sgi)) =
        park_priority;
    reg32(sgi + gicr_isenabler0) = 1u << park_sgi;

    // ICC_SRE_EL2: SRE (system registers), DFB, DIB, and Enable (EL1 may use ICC_SRE_EL1).
    HV_WRITE_SYSREG(icc_sre_el2, 0xf);
    isb();
    HV_WRITE_SYSREG(icc_pmr_el1, 0xff); // every priority passes
    HV_WRITE_SYSREG(icc_igrpen1_el1, 1);
    isb();
    return {};
}

void send_sgi(uint64_t target_mpidr, uint32_t intid) {
    // ICC_SGI1R_EL1: Aff3 [55:48], Aff2 [39:32], INTID [27:24], Aff1 [23:16], TargetList [15:0]
    // (one bit per Aff0 value below 16), IRM = 0.
    const uint64_t value = (target_mpidr >> 32 & 0xff) << 48 | (target_mpidr >> 16 & 0xff) << 32 |
                           uint64_t(intid & 0xf) << 24 | (target_mpidr >> 8 & 0xff) << 16 |
                           uint64_t(1) << (target_mpidr & 0xf);
    dsb_ish(); // the state change the SGI announces is visible before it arrives
    HV_WRITE_SYSREG(icc_sgi1r_el1, value);
    isb();
}

uint32_t acknowledge_and_complete() {
    const uint64_t iar = HV_READ_SYSREG(icc_iar1_el1);
    const uint32_t intid = uint32_t(iar & 0xffffff);
    if (intid >= 1020 && intid <= 1023)
        return spurious;
    HV_WRITE_SYSREG(icc_eoir1_el1, iar);
    isb();
    return intid;
}

} // namespace hv::arm64::gic
