#include "arch/arm64/guest/cell_runtime.hpp"

#include "arch/arm64/boot/layout.h"
#include "arch/arm64/cpu/sysreg.hpp"
#include "arch/arm64/gic/gicv3.hpp"
#include "arch/arm64/gic/virtual_interrupts.hpp"
#include "arch/arm64/monitor/tick.hpp"
#include "arch/arm64/semihosting/semihosting.hpp"
#include "core/console/console.hpp"

extern "C" {
extern char hv_stacks[];
extern char hv_secondary_entry[];
void hv_clear_fp_state();
[[noreturn]] void hv_enter_guest(uint64_t entry, uint64_t context, uint64_t stack_top);
}

namespace hv::arm64 {
namespace {

static_assert(HV_CPU_LIMIT == cells::cpu_limit, "layout.h and cpu_set.hpp disagree");

// HCR_EL2 while a cell runs: VM (stage 2 on), SWIO (set/way invalidates become clean+invalidate,
// harmless to other cells), FMO/IMO/AMO (physical FIQ/IRQ/SError go to EL2; the cell sees only
// virtual ones), FB and BSU = inner shareable (TLB and barrier operations of a multi-CPU cell
// reach all its CPUs), TSC (SMC traps to EL2: PSCI is emulated), TIDCP (implementation-defined
// registers trap), RW (EL1 is AArch64).
constexpr uint64_t hcr_el2_cell = 1ull << 0 | 1ull << 1 | 1ull << 3 | 1ull << 4 | 1ull << 5 |
                                  1ull << 9 | 1ull << 10 | 1ull << 19 | 1ull << 20 | 1ull << 31;
// CPTR_EL2: only RES1 bits; FP/SIMD and trace are not trapped (TFP = 0, TTA = 0).
constexpr uint64_t cptr_el2_cell = 0x33ff;
// CNTHCTL_EL2: EL1PCTEN and EL1PCEN, the cell reads the physical counter and timer directly.
// Only the virtual timer's interrupt (PPI 27) is ever delivered to a cell; the physical timer's
// PPI stays disabled.
constexpr uint64_t cnthctl_el2_cell = 3;
// SCTLR_EL1 reset state: MMU and caches off, RES1 bits 11, 20, 22, 23, 28, 29.
constexpr uint64_t sctlr_el1_reset = 0x30d00800;
// How long park_cpus() waits for the CPUs of a stopping cell: they leave the cell at their next
// instruction boundary once the SGI arrives, so this is generous.
constexpr uint64_t park_timeout_us = 200000;

PerCpu g_per_cpu[cells::cpu_limit];
RunningCell g_cells[cells::cell_limit];
psci::SmcFirmware g_firmware;
psci::Emulator g_psci(g_firmware, uint64_t(reinterpret_cast<uintptr_t>(hv_secondary_entry)));

uint64_t stack_top(unsigned cpu) {
    return uint64_t(reinterpret_cast<uintptr_t>(hv_stacks)) + uint64_t(cpu + 1) * HV_STACK_SIZE;
}

uint64_t counter_microseconds() {
    const uint64_t frequency = HV_READ_SYSREG(cntfrq_el0);
    const uint64_t per_us = frequency / 1000000 ? frequency / 1000000 : 1;
    return HV_READ_SYSREG(cntpct_el0) / per_us;
}

// EL1 state a cell could read is not left over from the cell that ran on this CPU before
// (translation, vectors, thread ids, exception records, timers): each entry starts clean.
void reset_el1_state() {
    HV_WRITE_SYSREG(vbar_el1, 0);
    HV_WRITE_SYSREG(ttbr0_el1, 0);
    HV_WRITE_SYSREG(ttbr1_el1, 0);
    HV_WRITE_SYSREG(tcr_el1, 0);
    HV_WRITE_SYSREG(mair_el1, 0);
    HV_WRITE_SYSREG(amair_el1, 0);
    HV_WRITE_SYSREG(contextidr_el1, 0);
    HV_WRITE_SYSREG(cpacr_el1, 0);
    HV_WRITE_SYSREG(sp_el0, 0);
    HV_WRITE_SYSREG(sp_el1, 0);
    HV_WRITE_SYSREG(tpidr_el0, 0);
    HV_WRITE_SYSREG(tpidr_el1, 0);
    HV_WRITE_SYSREG(tpidrro_el0, 0);
    HV_WRITE_SYSREG(elr_el1, 0);
    HV_WRITE_SYSREG(spsr_el1, 0);
    HV_WRITE_SYSREG(esr_el1, 0);
    HV_WRITE_SYSREG(far_el1, 0);
    HV_WRITE_SYSREG(par_el1, 0);
    HV_WRITE_SYSREG(afsr0_el1, 0);
    HV_WRITE_SYSREG(afsr1_el1, 0);
    HV_WRITE_SYSREG(cntkctl_el1, 0);
    HV_WRITE_SYSREG(cntv_ctl_el0, 0);
    HV_WRITE_SYSREG(cntp_ctl_el0, 0);
}

} // namespace

PerCpu& per_cpu(unsigned index) {
    return g_per_cpu[index];
}
PerCpu& this_cpu() {
    return *reinterpret_cast<PerCpu*>(HV_READ_SYSREG(tpidr_el2));
}
void set_this_cpu(unsigned index) {
    g_per_cpu[index].index = index;
    HV_WRITE_SYSREG(tpidr_el2, reinterpret_cast<uintptr_t>(&g_per_cpu[index]));
}

RunningCell& cell_in_slot(unsigned slot) {
    return g_cells[slot < cells::cell_limit ? slot : 0];
}
psci::Emulator& psci_emulator() {
    return g_psci;
}
psci::SmcFirmware& firmware() {
    return g_firmware;
}

uint64_t mpidr_of(unsigned cpu) {
    return cpu < cells::cpu_limit ? psci_emulator().topology().mpidr[cpu] : 0;
}

const char* cell_name(const RunningCell& cell) {
    return lifecycle().name(cell.slot);
}

cells::CpuSet cell_cpus(const RunningCell& cell) {
    return cell.slot == 0 ? ownership().root_cpus() : lifecycle().cpus(cell.slot);
}

void assign_cpus(unsigned slot, cells::CpuSet cpus) {
    for (unsigned cpu = 0; cpu < cells::cpu_limit; ++cpu) {
        if (cpus.contains(cpu))
            __atomic_store_n(&g_per_cpu[cpu].cell, &g_cells[slot], __ATOMIC_SEQ_CST);
    }
}

void enter_cell(const RunningCell& cell, unsigned cpu, uint64_t entry, uint64_t context) {
    HV_WRITE_SYSREG(vtcr_el2, stage2::vtcr_el2());
    HV_WRITE_SYSREG(vttbr_el2, cell.stage2.vttbr);
    HV_WRITE_SYSREG(hcr_el2, hcr_el2_cell);
    HV_WRITE_SYSREG(cptr_el2, cptr_el2_cell);
    HV_WRITE_SYSREG(hstr_el2, 0);
    HV_WRITE_SYSREG(cnthctl_el2, cnthctl_el2_cell);
    HV_WRITE_SYSREG(cntvoff_el2, 0);
    // The cell sees the real CPU identity: its PSCI calls name CPUs by MPIDR.
    HV_WRITE_SYSREG(vpidr_el2, HV_READ_SYSREG(midr_el1));
    HV_WRITE_SYSREG(vmpidr_el2, HV_READ_SYSREG(mpidr_el1));
    HV_WRITE_SYSREG(sctlr_el1, sctlr_el1_reset);
    reset_el1_state();
    hv_clear_fp_state();
    vgic::reset_for_cell(cpu);
    isb();
    // Nothing cached for this VMID may survive from an earlier owner of the CPU or an earlier
    // cell in the same slot.
    __asm__ volatile("tlbi vmalls12e1" ::: "memory");
    dsb_sy();
    isb();
    hv_enter_guest(entry, context, stack_top(cpu));
}

void park_this_cpu(unsigned cpu) {
    g_psci.mark_off(cpu);
    tick::leaving(cpu);
    g_firmware.cpu_off();
}

Result<void> park_cpus(cells::CpuSet cpus) {
    const cells::CpuSet targets = g_psci.online();
    for (unsigned cpu = 0; cpu < cells::cpu_limit; ++cpu) {
        if (cpus.contains(cpu) && targets.contains(cpu))
            gic::send_sgi(mpidr_of(cpu), gic::park_sgi);
    }
    // The caller itself (the tick's CPU killing its own cell) parks when it leaves the
    // hypervisor, on the park SGI just sent to it: waiting for it here could only time out.
    cells::CpuSet waited = cpus;
    waited.remove(this_cpu().index);
    const uint64_t deadline = counter_microseconds() + park_timeout_us;
    while (g_psci.online().intersects(waited)) {
        if (counter_microseconds() > deadline)
            return Error::cpus_did_not_stop;
    }
    return {};
}

void stop_cell_from_this_cpu(RunningCell& cell, unsigned cpu, cells::CellState why) {
    console::CellConsole& out = cell_console();
    out.flush(cpu, cell_name(cell));
    const auto reason =
        why == cells::CellState::failed ? cells::FailureReason::fault : cells::FailureReason::none;
    if (lifecycle().mark_stopping(cell.slot, why, reason)) {
        console::print("hv: cell %s stopped\n", cell_name(cell));
        if (cell.slot != 0)
            tick::notify_root(cpu);
        cells::CpuSet others = cell_cpus(cell);
        others.remove(cpu);
        for (unsigned other = 0; other < cells::cpu_limit; ++other) {
            if (others.contains(other) && g_psci.online().contains(other))
                gic::send_sgi(mpidr_of(other), gic::park_sgi);
        }
    }
    if (!lifecycle().any_running()) {
        console::print("hv: no cell left running, stopping the machine\n");
        semihosting::exit(semihosting::ExitStatus::no_cell_running);
    }
    park_this_cpu(cpu);
}

} // namespace hv::arm64
