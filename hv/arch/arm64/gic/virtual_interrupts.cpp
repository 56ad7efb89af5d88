#include "arch/arm64/gic/virtual_interrupts.hpp"

#include "arch/arm64/cpu/sysreg.hpp"
#include "arch/arm64/gic/gicv3.hpp"
#include "arch/arm64/monitor/tick.hpp"
#include "core/console/console.hpp"

namespace hv::arm64::vgic {
namespace {

using hv::gic::CellView;
using hv::gic::Refusal;

// ICH_LR<n>_EL2: vINTID [31:0], pINTID [44:32], Priority [55:48], Group [60], HW [61],
// State [63:62] (01 = pending).
constexpr uint64_t lr_pending = uint64_t(1) << 62, lr_hw = uint64_t(1) << 61,
                   lr_group1 = uint64_t(1) << 60;
constexpr uint64_t lr_state_mask = uint64_t(3) << 62;
// ICH_HCR_EL2: En (virtual CPU interface on), UIE (maintenance interrupt when at most one list
// register entry is valid).
constexpr uint64_t ich_hcr_en = 1, ich_hcr_uie = 2;
// GICR_ICENABLER0, ICPENDR0, ICACTIVER0 in the SGI_base frame.
constexpr uint32_t icenabler0 = 0x180, icpendr0 = 0x280, icactiver0 = 0x380;
constexpr unsigned overflow_limit = 16;

struct Overflow {
    uint64_t entries[overflow_limit];
    unsigned count = 0;
};
Overflow g_overflow[cells::cpu_limit];

#define HV_LR_CASE(n)                                                                              \
    case n:                                                                                        \
        if (write)                                                                                 \
            HV_WRITE_SYSREG(ich_lr##n##_el2, value);                                               \
        else                                                                                       \
            value = HV_READ_SYSREG(ich_lr##n##_el2);                                               \
        break;

// Always inlined: with a constant `write` only one half of the switch remains on the hot path.
[[gnu::always_inline]] inline uint64_t list_register(unsigned n, bool write = false,
                                                     uint64_t value = 0) {
    switch (n) {
        HV_LR_CASE(0)
        HV_LR_CASE(1)
        HV_LR_CASE(2)
        HV_LR_CASE(3)
        HV_LR_CASE(4)
        HV_LR_CASE(5)
        HV_LR_CASE(6)
        HV_LR_CASE(7)
        HV_LR_CASE(8)
        HV_LR_CASE(9)
        HV_LR_CASE(10)
        HV_LR_CASE(11)
        HV_LR_CASE(12)
        HV_LR_CASE(13)
        HV_LR_CASE(14)
        HV_LR_CASE(15)
    default:
        break;
    }
    return value;
}

unsigned list_register_count() {
    return unsigned(HV_READ_SYSREG(ich_vtr_el2) & 0x1f) + 1; // ListRegs = count - 1
}

// Puts `entry` into a free list register; false when none is free.
bool place(uint64_t entry) {
    const uint64_t empty = HV_READ_SYSREG(ich_elrsr_el2);
    const unsigned count = list_register_count();
    for (unsigned n = 0; n < count; ++n) {
        if ((empty >> n & 1) != 0) {
            list_register(n, true, entry);
            return true;
        }
    }
    return false;
}

// A software virtual interrupt (an SGI) that is already pending in a list register is not
// added twice (two entries with one vINTID are unpredictable).
bool already_pending(uint32_t vintid) {
    const uint64_t empty = HV_READ_SYSREG(ich_elrsr_el2);
    const unsigned count = list_register_count();
    for (unsigned n = 0; n < count; ++n) {
        if ((empty >> n & 1) != 0)
            continue;
        const uint64_t lr = list_register(n);
        if (uint32_t(lr) == vintid && (lr & lr_state_mask) == lr_pending)
            return true;
    }
    return false;
}

void inject(unsigned cpu, uint32_t intid, uint8_t priority, bool hardware) {
    uint64_t entry = lr_pending | lr_group1 | uint64_t(priority) << 48 | intid;
    if (hardware)
        entry |= lr_hw | uint64_t(intid) << 32;
    else if (already_pending(intid))
        return;
    if (place(entry))
        return;
    Overflow& q = g_overflow[cpu];
    if (q.count < overflow_limit) {
        q.entries[q.count++] = entry;
        HV_WRITE_SYSREG(ich_hcr_el2, ich_hcr_en | ich_hcr_uie);
        return;
    }
    // Nowhere to keep it: a hardware interrupt is deactivated (a level-triggered one comes
    // back), a software one is lost.
    if (hardware)
        gic::deactivate(intid);
}

void refill(unsigned cpu) {
    Overflow& q = g_overflow[cpu];
    unsigned taken = 0;
    while (taken < q.count && place(q.entries[taken]))
        ++taken;
    for (unsigned i = taken; i < q.count; ++i)
        q.entries[i - taken] = q.entries[i];
    q.count -= taken;
    HV_WRITE_SYSREG(ich_hcr_el2, q.count == 0 ? ich_hcr_en : ich_hcr_en | ich_hcr_uie);
}

const cells::IrqSet& irqs_of(const RunningCell& cell) {
    return cell.slot == 0 ? ownership().root_irqs() : ownership().resources(cell.slot).irqs;
}

CellView view_of(const RunningCell& cell, unsigned cpu) {
    return {cell.slot, &irqs_of(cell), cell_cpus(cell), psci_emulator().topology().mpidr, cpu};
}

void report(const RunningCell& cell, unsigned cpu, const Refusal& r) {
    if (r.report && r.unsupported)
        console::print("hv: cell %s cpu %u: GIC %s refused: not supported for cells\n",
                       cell_name(cell), cpu, r.what);
    else if (r.report)
        console::print("hv: cell %s cpu %u: GIC %s of INTID %u refused (not the cell's)\n",
                       cell_name(cell), cpu, r.what, r.intid);
}

void deliver_sgis(unsigned cpu) {
    hv::gic::VirtualGic& v = gic::virtual_gic();
    const RunningCell* cell = per_cpu(cpu).cell;
    // A cell whose distributor group 1 is off gets no SGI; they stay pending until it is on.
    if (cell == nullptr || !v.group1_enabled(cell->slot))
        return;
    const uint32_t pending = v.take_sgis(cpu);
    for (uint32_t intid = 0; intid < 16; ++intid) {
        if ((pending >> intid & 1) == 0)
            continue;
        if (v.private_enabled(cpu, intid))
            inject(cpu, intid, v.private_priority(cpu, intid), false);
        else
            v.post_sgi(cpu, intid); // stays pending until enabled and kicked again
    }
}

// Group 1 just turned on (or stayed on): SGIs held while it was off go out now, on this CPU
// directly and on the cell's other running CPUs through the kick SGI.
void kick_pending_sgis(const CellView& view, unsigned cpu) {
    for (unsigned target = 0; target < cells::cpu_limit; ++target) {
        if (!view.cpus.contains(target))
            continue;
        if (target == cpu)
            deliver_sgis(cpu);
        else if (psci_emulator().online().contains(target))
            gic::send_sgi(mpidr_of(target), gic::kick_sgi);
    }
}

// Doorbells are software entries on the cell's first CPU (the one their route names). Not
// inlined: its buffer would otherwise enlarge handle_irq's frame on every interrupt's path.
[[gnu::noinline]] void deliver_doorbells(const RunningCell& cell, unsigned cpu) {
    hv::gic::VirtualGic& v = gic::virtual_gic();
    // Held, like SGIs, while the cell's group 1 is off; its GICD_CTLR write turning it on kicks.
    if (cpu != cell_cpus(cell).first() || !v.group1_enabled(cell.slot))
        return;
    uint32_t taken[8];
    unsigned n;
    do {
        n = v.take_doorbells(cell.slot, taken, 8);
        for (unsigned i = 0; i < n; ++i)
            inject(cpu, taken[i], v.doorbell_priority(cell.slot, taken[i]), false);
    } while (n == 8);
}

} // namespace

void deliver_pending_sgis(unsigned cpu) {
    deliver_sgis(cpu);
}

void kick_doorbells(unsigned slot) {
    const unsigned target =
        slot == 0 ? ownership().root_cpus().first() : lifecycle().cpus(slot).first();
    if (target >= cells::cpu_limit)
        return;
    const PerCpu& here = this_cpu();
    if (here.index == target && here.cell != nullptr && here.cell->slot == slot)
        deliver_doorbells(*here.cell, target);
    else if (psci_emulator().online().contains(target))
        gic::send_sgi(mpidr_of(target), gic::kick_sgi);
}

void reset_for_cell(unsigned cpu) {
    const unsigned count = list_register_count();
    for (unsigned n = 0; n < count; ++n)
        list_register(n, true, 0);
    HV_WRITE_SYSREG(ich_ap0r0_el2, 0);
    HV_WRITE_SYSREG(ich_ap1r0_el2, 0);
    HV_WRITE_SYSREG(ich_vmcr_el2, 0);
    HV_WRITE_SYSREG(ich_hcr_el2, ich_hcr_en);
    const uint32_t timer = 1u << hv::gic::vtimer_ppi;
    gic::write_sgi_frame(cpu, icenabler0, timer);
    gic::write_sgi_frame(cpu, icpendr0, timer);
    gic::write_sgi_frame(cpu, icactiver0, timer);
    g_overflow[cpu].count = 0;
    gic::virtual_gic().reset_cpu(cpu);
    isb();
}

uint32_t handle_irq(const RunningCell& cell, unsigned cpu) {
    const uint32_t intid = gic::acknowledge();
    if (intid == gic::spurious)
        return intid;
    gic::priority_drop(intid);
    hv::gic::VirtualGic& v = gic::virtual_gic();
    if (intid == hv::gic::vtimer_ppi) {
        inject(cpu, intid, v.private_priority(cpu, intid), true);
    } else if (intid >= hv::gic::spi_first && irqs_of(cell).contains(intid)) {
        inject(cpu, intid, v.spi_priority(intid), true);
    } else if (intid == gic::hyp_timer_ppi && tick::runs_on(cpu)) {
        tick::handle(cpu); // rearms the timer before deactivating its level-triggered line
    } else {
        gic::deactivate(intid);
        if (intid == gic::kick_sgi) {
            deliver_sgis(cpu);
            deliver_doorbells(cell, cpu);
            tick::adopt(cpu); // the kick also hands the tick over (monitor/tick.hpp)
        } else if (intid == gic::maintenance_ppi)
            refill(cpu);
        // Anything else (an SPI whose owner changed meanwhile) is dropped.
    }
    return intid;
}

bool is_gic_address(uint64_t ipa) {
    const uint64_t gicd = gic::distributor_base(), gicr = gic::redistributor_base();
    return (ipa >= gicd && ipa - gicd < hv::gic::gicd_size) ||
           (ipa >= gicr && ipa - gicr < gic::redistributor_stride() * gic::virtual_gic().frames());
}

void emulate_mmio(TrapFrame& frame, const RunningCell& cell, unsigned cpu, uint64_t esr,
                  uint64_t ipa) {
    // Data abort ISS with ISV: SAS [23:22] (size 1 << SAS), SRT [20:16], WnR [6].
    const unsigned size = 1u << (esr >> 22 & 3);
    const unsigned rt = unsigned(esr >> 16) & 0x1f;
    const bool write = (esr >> 6 & 1) != 0;
    const uint64_t mask = size == 8 ? ~uint64_t(0) : (uint64_t(1) << (8 * size)) - 1;
    const CellView view = view_of(cell, cpu);
    hv::gic::VirtualGic& v = gic::virtual_gic();
    const uint64_t gicd = gic::distributor_base();
    const bool distributor = ipa >= gicd && ipa - gicd < hv::gic::gicd_size;
    const uint64_t stride = gic::redistributor_stride();
    const uint64_t rel = distributor ? ipa - gicd : ipa - gic::redistributor_base();
    const unsigned frame_index = distributor ? 0 : unsigned(rel / stride);
    const uint32_t offset = uint32_t(distributor ? rel : rel % stride);
    if (write) {
        const uint64_t value = (rt == 31 ? 0 : frame.x[rt]) & mask;
        report(cell, cpu,
               distributor ? v.dist_write(view, offset, size, value)
                           : v.redist_write(view, frame_index, offset, size, value));
        if (distributor && offset == hv::gic::gicd::ctlr && v.group1_enabled(cell.slot))
            kick_pending_sgis(view, cpu);
        // An enable (or a pend) may have made a waiting doorbell deliverable.
        if (distributor && v.doorbells_ready(cell.slot))
            kick_doorbells(cell.slot);
    } else {
        const uint64_t value = distributor ? v.dist_read(view, offset, size)
                                           : v.redist_read(view, frame_index, offset, size);
        if (rt != 31)
            frame.x[rt] = value & mask;
    }
    HV_WRITE_SYSREG(elr_el2, HV_READ_SYSREG(elr_el2) + 4);
}

bool emulate_sysreg(TrapFrame& frame, const RunningCell& cell, unsigned cpu, uint64_t esr) {
    // ISS of a trapped MSR/MRS: Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10], Rt [9:5],
    // CRm [4:1], Direction [0] (1 = read).
    const uint32_t iss = uint32_t(esr) & 0x1ffffff;
    const unsigned op0 = iss >> 20 & 3, op2 = iss >> 17 & 7, op1 = iss >> 14 & 7,
                   crn = iss >> 10 & 0xf, rt = iss >> 5 & 0x1f, crm = iss >> 1 & 0xf;
    const bool read = (iss & 1) != 0;
    // ICC_SGI1R_EL1 = S3_0_C12_C11_5, ICC_ASGI1R_EL1 = ..._6, ICC_SGI0R_EL1 = ..._7.
    if (op0 != 3 || op1 != 0 || crn != 12 || crm != 11 || op2 < 5 || read)
        return false;
    HV_WRITE_SYSREG(elr_el2, HV_READ_SYSREG(elr_el2) + 4);
    if (op2 != 5)
        return true; // group 0 and the other security state's group 1: nothing to signal
    const uint64_t value = rt == 31 ? 0 : frame.x[rt];
    const CellView view = view_of(cell, cpu);
    const hv::gic::SgiTargets targets = hv::gic::sgi_targets(value, view);
    hv::gic::VirtualGic& v = gic::virtual_gic();
    for (unsigned target = 0; target < cells::cpu_limit; ++target) {
        if (!targets.deliver.contains(target))
            continue;
        v.post_sgi(target, targets.intid);
        if (target == cpu)
            deliver_sgis(cpu);
        else if (psci_emulator().online().contains(target))
            gic::send_sgi(mpidr_of(target), gic::kick_sgi);
    }
    if (!targets.dropped.empty() || targets.unknown_target) {
        const Refusal r = v.refuse_sgi(view, targets.intid);
        if (r.report)
            console::print("hv: cell %s cpu %u: SGI %u to cpus 0x%lx outside the cell dropped\n",
                           cell_name(cell), cpu, targets.intid, targets.dropped.bits());
    }
    return true;
}

} // namespace hv::arm64::vgic
