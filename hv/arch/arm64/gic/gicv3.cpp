#include "arch/arm64/gic/gicv3.hpp"

#include "arch/arm64/cpu/sysreg.hpp"

namespace hv::arm64::gic {
namespace {

namespace gicd = hv::gic::gicd;
// Distributor (GICv3 spec, 12.9): GICD_CTLR with ARE (affinity routing; the single security
// state QEMU virt has without EL3), EnableGrp1, EnableGrp0, and RWP while a write is in progress.
constexpr uint32_t ctlr_grp1 = 1u << 1, ctlr_grp0 = 1u << 0;
// Redistributor RD_base frame: GICR_TYPER (affinity in [63:32], Last in bit 4) and GICR_WAKER
// (ProcessorSleep bit 1, ChildrenAsleep bit 2). The SGI_base frame follows 64 KiB later.
constexpr uint64_t gicr_typer = 0x8, gicr_waker = 0x14;
constexpr uint32_t waker_processor_sleep = 1u << 1, waker_children_asleep = 1u << 2;
constexpr uint64_t gicr_sgi_frame = 0x10000;
constexpr uint64_t gicr_igroupr0 = 0x80, gicr_isenabler0 = 0x100, gicr_ipriorityr = 0x400;
// The hypervisor's own interrupts preempt nothing (EL2 runs with IRQs masked) but win over the
// cells' (cell_physical_priority) when several are pending.
constexpr uint8_t park_priority = 0x80, kick_priority = 0x88, tick_priority = 0x8c,
                  maintenance_priority = 0x90;
// ICC_CTLR_EL1.EOImode: EOIR only drops the priority; deactivation is separate.
constexpr uint64_t ctlr_eoimode = 1u << 1;
// Polls of a status bit before giving up: the GIC answers in a few accesses; a bounded loop
// keeps a broken one from hanging the boot.
constexpr unsigned poll_limit = 1000000;

uint64_t g_gicd = 0, g_gicr = 0, g_stride = 0;
unsigned g_frames = 0;
uint64_t g_frame_of_cpu[cells::cpu_limit] = {};

volatile uint32_t& reg32(uint64_t address) {
    return *reinterpret_cast<volatile uint32_t*>(uintptr_t(address));
}
volatile uint64_t& reg64(uint64_t address) {
    return *reinterpret_cast<volatile uint64_t*>(uintptr_t(address));
}

void wait_for_distributor() {
    for (unsigned i = 0; i < poll_limit && (reg32(g_gicd + gicd::ctlr) & gicd::ctlr_rwp) != 0;
         ++i) {
    }
}

// MPIDR Aff3.Aff2.Aff1.Aff0 packed as GICR_TYPER.Affinity_Value holds it.
uint32_t packed_affinity(uint64_t mpidr) {
    return uint32_t((mpidr >> 32 & 0xff) << 24 | (mpidr & 0xffffff));
}

uint64_t frame_address(unsigned frame) {
    return g_gicr + uint64_t(frame) * g_stride;
}

// The physical GIC for the emulation: plain MMIO on the hypervisor's device mappings.
class MmioGic final : public hv::gic::GicHardware {
  public:
    uint32_t dist_read32(uint32_t offset) override { return reg32(g_gicd + offset); }
    void dist_write32(uint32_t offset, uint32_t value) override {
        reg32(g_gicd + offset) = value;
        if (offset >= gicd::icenabler && offset < gicd::icenabler + 0x80)
            wait_for_distributor(); // a disable is complete when RWP clears
    }
    void dist_write64(uint32_t offset, uint64_t value) override { reg64(g_gicd + offset) = value; }
    uint32_t redist_read32(unsigned frame, uint32_t offset) override {
        return reg32(frame_address(frame) + offset);
    }
    uint64_t redist_read64(unsigned frame, uint32_t offset) override {
        return reg64(frame_address(frame) + offset);
    }
    void redist_write32(unsigned frame, uint32_t offset, uint32_t value) override {
        reg32(frame_address(frame) + offset) = value;
    }
};

MmioGic g_hardware;
hv::gic::VirtualGic g_virtual_gic(g_hardware);

} // namespace

void init_distributor(uint64_t gicd, uint64_t gicr, uint64_t gicr_stride, unsigned gicr_frames) {
    g_gicd = gicd;
    g_gicr = gicr;
    g_stride = gicr_stride;
    g_frames = 0;
    for (unsigned i = 0; i < gicr_frames; ++i) {
        ++g_frames;
        if ((reg64(frame_address(i) + gicr_typer) & hv::gic::gicr::typer_last) != 0)
            break;
    }
    // Affinity routing first, groups off (changing ARE with groups enabled is not allowed).
    reg32(g_gicd + gicd::ctlr) = gicd::ctlr_are;
    wait_for_distributor();
    // GICD_TYPER.ITLinesNumber: 32 * (N + 1) interrupt ids exist.
    const uint32_t lines = 32 * ((reg32(g_gicd + gicd::typer) & 0x1f) + 1);
    const uint32_t end = lines < hv::gic::spi_end ? lines : hv::gic::spi_end;
    for (uint32_t word = 1; word < (end + 31) / 32; ++word) {
        reg32(g_gicd + gicd::icenabler + 4 * word) = 0xffffffff;
        reg32(g_gicd + gicd::icpendr + 4 * word) = 0xffffffff;
        reg32(g_gicd + gicd::icactiver + 4 * word) = 0xffffffff;
        reg32(g_gicd + gicd::igroupr + 4 * word) = 0xffffffff;
    }
    const uint32_t prio = hv::gic::cell_physical_priority;
    for (uint32_t intid = hv::gic::spi_first; intid < end; intid += 4)
        reg32(g_gicd + gicd::ipriorityr + intid) = prio | prio << 8 | prio << 16 | prio << 24;
    wait_for_distributor();
    reg32(g_gicd + gicd::ctlr) = gicd::ctlr_are | ctlr_grp1 | ctlr_grp0;
    wait_for_distributor();
}

void map_frames(const uint64_t* mpidr_of_cpu) {
    unsigned cpu_of_frame[cells::cpu_limit];
    for (unsigned f = 0; f < g_frames && f < cells::cpu_limit; ++f) {
        cpu_of_frame[f] = cells::cpu_limit;
        const uint32_t affinity = uint32_t(reg64(frame_address(f) + gicr_typer) >> 32);
        for (unsigned cpu = 0; cpu < cells::cpu_limit; ++cpu) {
            if (packed_affinity(mpidr_of_cpu[cpu]) == affinity) {
                cpu_of_frame[f] = cpu;
                break;
            }
        }
    }
    g_virtual_gic.set_frames(cpu_of_frame, g_frames);
}

Result<void> init_this_cpu(unsigned cpu, uint64_t mpidr) {
    uint64_t rd = 0;
    for (unsigned i = 0; i < g_frames; ++i) {
        if (uint32_t(reg64(frame_address(i) + gicr_typer) >> 32) == packed_affinity(mpidr)) {
            rd = frame_address(i);
            break;
        }
    }
    if (rd == 0 || cpu >= cells::cpu_limit)
        return Error::out_of_range;
    g_frame_of_cpu[cpu] = rd;
    reg32(rd + gicr_waker) = reg32(rd + gicr_waker) & ~waker_processor_sleep;
    for (unsigned i = 0; i < poll_limit && (reg32(rd + gicr_waker) & waker_children_asleep) != 0;
         ++i) {
    }
    const uint64_t sgi = rd + gicr_sgi_frame;
    auto priority = [&](uint32_t intid, uint8_t value) {
        *reinterpret_cast<volatile uint8_t*>(uintptr_t(sgi + gicr_ipriorityr + intid)) = value;
    };
    // Every private interrupt in group 1; the cell's virtual timer at the cells' priority (it is
    // enabled only when the cell enables it).
    reg32(sgi + gicr_igroupr0) = 0xffffffff;
    priority(park_sgi, park_priority);
    priority(kick_sgi, kick_priority);
    priority(maintenance_ppi, maintenance_priority);
    priority(hyp_timer_ppi, tick_priority); // enabled on CPU 0 only, by the tick
    priority(hv::gic::vtimer_ppi, hv::gic::cell_physical_priority);
    reg32(sgi + gicr_isenabler0) = 1u << park_sgi | 1u << kick_sgi | 1u << maintenance_ppi;

    // ICC_SRE_EL2: SRE (system registers), DFB, DIB, and Enable (EL1 may use ICC_SRE_EL1).
    HV_WRITE_SYSREG(icc_sre_el2, 0xf);
    isb();
    HV_WRITE_SYSREG(icc_ctlr_el1, HV_READ_SYSREG(icc_ctlr_el1) | ctlr_eoimode);
    HV_WRITE_SYSREG(icc_pmr_el1, 0xff); // every priority passes
    HV_WRITE_SYSREG(icc_igrpen1_el1, 1);
    isb();
    return {};
}

uint64_t distributor_base() {
    return g_gicd;
}
uint64_t redistributor_base() {
    return g_gicr;
}
uint64_t redistributor_stride() {
    return g_stride;
}

void write_sgi_frame(unsigned cpu, uint32_t offset, uint32_t value) {
    if (cpu < cells::cpu_limit && g_frame_of_cpu[cpu] != 0)
        reg32(g_frame_of_cpu[cpu] + gicr_sgi_frame + offset) = value;
}

hv::gic::VirtualGic& virtual_gic() {
    return g_virtual_gic;
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

uint32_t acknowledge() {
    const uint32_t intid = uint32_t(HV_READ_SYSREG(icc_iar1_el1) & 0xffffff);
    return intid >= 1020 && intid <= 1023 ? spurious : intid;
}

void priority_drop(uint32_t intid) {
    HV_WRITE_SYSREG(icc_eoir1_el1, intid);
    isb();
}

void deactivate(uint32_t intid) {
    HV_WRITE_SYSREG(icc_dir_el1, intid);
    isb();
}

} // namespace hv::arm64::gic
