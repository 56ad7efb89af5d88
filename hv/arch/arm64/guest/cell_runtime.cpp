#include "arch/arm64/guest/cell_runtime.hpp"

#include "arch/arm64/boot/layout.h"
#include "arch/arm64/cpu/sysreg.hpp"
#include "arch/arm64/semihosting/semihosting.hpp"
#include "core/console/console.hpp"

extern "C" {
extern char hv_stacks[];
extern char hv_secondary_entry[];
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
constexpr uint64_t cnthctl_el2_cell = 3;
// SCTLR_EL1 reset state: MMU and caches off, RES1 bits 11, 20, 22, 23, 28, 29.
constexpr uint64_t sctlr_el1_reset = 0x30d00800;

PerCpu g_per_cpu[cells::cpu_limit];
RunningCell* g_cells[1];
psci::SmcFirmware g_firmware;
psci::Emulator g_psci(g_firmware, uint64_t(reinterpret_cast<uintptr_t>(hv_secondary_entry)));

uint64_t stack_top(unsigned cpu) {
    return uint64_t(reinterpret_cast<uintptr_t>(hv_stacks)) + uint64_t(cpu + 1) * HV_STACK_SIZE;
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

psci::Emulator& psci_emulator() {
    return g_psci;
}
psci::SmcFirmware& firmware() {
    return g_firmware;
}

void install_cell(RunningCell& cell) {
    g_cells[0] = &cell;
    for (unsigned cpu = 0; cpu < cells::cpu_limit; ++cpu) {
        if (cell.config.cpus.contains(cpu))
            g_per_cpu[cpu].cell = &cell;
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
    isb();
    // Nothing cached for this VMID may survive from an earlier owner of the CPU.
    __asm__ volatile("tlbi vmalls12e1" ::: "memory");
    dsb_sy();
    isb();
    hv_enter_guest(entry, context, stack_top(cpu));
}

void stop_cell_on_this_cpu(RunningCell& cell, unsigned cpu) {
    cell.stopped = true;
    g_psci.mark_off(cpu);
    console::print("hv: cell %s stopped\n", cell.config.name);
    bool any_running = false;
    for (const RunningCell* c : g_cells)
        any_running = any_running || (c != nullptr && !c->stopped);
    if (!any_running) {
        // The other CPUs of the stopped cell end with the machine; with several cells they
        // will be parked by an inter-processor interrupt (GIC SGI), which comes with the GIC.
        console::print("hv: no cell left running, stopping the machine\n");
        semihosting::exit(semihosting::ExitStatus::no_cell_running);
    }
    g_firmware.cpu_off();
}

} // namespace hv::arm64
