// What the hypervisor does when a cell traps to EL2: hypercalls (HVC or SMC with a function id
// in the vendor-specific hypervisor range) go to the dispatcher, other SMC/HVC calls are PSCI,
// emulated; a stage-2 abort is a stray access, reported with the cell, CPU, address and PC, and
// the cell is stopped; any other trap (a forbidden register, an SError) stops the cell the same
// way (each counted for the cell and, for aborts, attributed: guest/faults.hpp), except for
// accesses to the GIC, which are emulated (gic/virtual_interrupts.hpp): the distributor and
// redistributors (stage-2 aborts in their ranges) and ICC_SGI1R_EL1 (trapped while HCR_EL2.IMO is
// set). A physical interrupt goes to the running cell as a virtual one, or is the hypervisor's: the
// park SGI makes a CPU whose cell is stopping park.
#include "arch/arm64/cpu/sysreg.hpp"
#include "arch/arm64/cpu/trap_frame.hpp"
#include "arch/arm64/exceptions/esr.hpp"
#include "arch/arm64/gic/gicv3.hpp"
#include "arch/arm64/gic/virtual_interrupts.hpp"
#include "arch/arm64/guest/cell_runtime.hpp"
#include "arch/arm64/guest/faults.hpp"
#include "arch/arm64/hypercall/dispatch.hpp"
#include "arch/arm64/monitor/tick.hpp"
#include "core/console/console.hpp"
#include "jailconf/hypercall.hpp"

namespace hv::arm64 {
namespace {

// HPFAR_EL2.FIPA (bits [43:4]) holds IPA bits [51:12].
uint64_t ipa_from_hpfar(uint64_t hpfar, uint64_t far) {
    return (hpfar & 0x00000ffffffffff0ull) << 8 | (far & 0xfff);
}

// The IPA of a stage-2 abort. HPFAR_EL2 holds it for translation and access-flag faults; for a
// permission fault it may not, so the guest's own translation is consulted: with its stage 1 off
// the address is the IPA itself, otherwise AT S1E1R translates it.
uint64_t fault_ipa(uint64_t esr, uint64_t far) {
    const uint64_t hpfar = HV_READ_SYSREG(hpfar_el2);
    if (!fault_is_permission(abort_fault_status(esr)) || abort_on_stage1_walk(esr))
        return ipa_from_hpfar(hpfar, far);
    if ((HV_READ_SYSREG(sctlr_el1) & 1) == 0)
        return far;
    __asm__ volatile("at s1e1r, %0" : : "r"(far));
    isb();
    const uint64_t par = HV_READ_SYSREG(par_el1);
    if ((par & 1) != 0) // PAR_EL1.F: the walk failed, keep the best information there is
        return ipa_from_hpfar(hpfar, far);
    return (par & 0x0000fffffffff000ull) | (far & 0xfff);
}

[[noreturn]] void stray_access(RunningCell& cell, unsigned cpu, uint64_t esr) {
    const uint64_t far = HV_READ_SYSREG(far_el2);
    const uint64_t pc = HV_READ_SYSREG(elr_el2);
    const bool fetch = esr_class(esr) == uint32_t(ExceptionClass::instruction_abort_lower);
    const char* access = fetch ? "exec" : (abort_is_write(esr) ? "write" : "read");
    char detail[128];
    describe_esr(esr, detail, sizeof(detail));
    const uint64_t ipa = fault_ipa(esr, far);
    console::print("cell %s cpu %u: stray %s at 0x%lx (pc 0x%lx)\n", cell_name(cell), cpu, access,
                   ipa, pc);
    console::print("cell %s cpu %u:   %s\n", cell_name(cell), cpu, detail);
    faults::record(cell, cpu,
                   fetch ? hv::faults::FaultKind::instruction_abort
                         : hv::faults::FaultKind::data_abort,
                   ipa, pc, esr);
    stop_cell_from_this_cpu(cell, cpu, cells::CellState::failed);
}

[[noreturn]] void forbidden_trap(RunningCell& cell, unsigned cpu, uint64_t esr,
                                 hv::faults::FaultKind kind) {
    char detail[128];
    describe_esr(esr, detail, sizeof(detail));
    const uint64_t pc = HV_READ_SYSREG(elr_el2);
    console::print("cell %s cpu %u: forbidden operation (pc 0x%lx): %s\n", cell_name(cell), cpu, pc,
                   detail);
    faults::record(cell, cpu, kind, 0, pc, esr);
    stop_cell_from_this_cpu(cell, cpu, cells::CellState::failed);
}

void psci_call(TrapFrame& frame, RunningCell& cell, unsigned cpu) {
    const psci::Call call{frame.x[0], frame.x[1], frame.x[2], frame.x[3]};
    const bool root = cell.slot == 0;
    const uint32_t function = uint32_t(call.function);
    psci::Outcome outcome;
    if (root && (function == psci::fn_cpu_on || function == psci::fn_cpu_on_32)) {
        // Serialised with cell_create: the root's CPUs are read and the CPU started under the
        // lifecycle's lock, so a CPU is either started in the root (and create refuses it as
        // online) or already the new cell's (and CPU_ON refuses it). Non-root cells do not take
        // the lock: a destroy holding it waits for their CPUs to park.
        SpinlockGuard guard(lifecycle().operation_lock());
        outcome = psci_emulator().handle(cpu, cell_cpus(cell), call);
    } else {
        outcome = psci_emulator().handle(cpu, cell_cpus(cell), call);
    }
    switch (outcome.action) {
    case psci::Action::resume:
        frame.x[0] = uint64_t(outcome.value);
        return;
    case psci::Action::cpu_off:
        console::print("hv: cell %s cpu %u: CPU_OFF\n", cell_name(cell), cpu);
        cell_console().flush(cpu, cell_name(cell));
        tick::leaving(cpu);
        firmware().cpu_off();
    case psci::Action::system_off:
    case psci::Action::system_reset:
        if (!root) {
            // A non-root cell's power-off or reset ends that cell only.
            console::print("hv: cell %s: %s, stopping the cell\n", cell_name(cell),
                           outcome.action == psci::Action::system_off ? "SYSTEM_OFF"
                                                                      : "SYSTEM_RESET");
            stop_cell_from_this_cpu(cell, cpu, cells::CellState::stopped);
        }
        cell_console().flush(cpu, cell_name(cell));
        if (outcome.action == psci::Action::system_off) {
            console::print("hv: cell %s: SYSTEM_OFF, powering off\n", cell_name(cell));
            firmware().system_off();
        }
        console::print("hv: cell %s: SYSTEM_RESET, resetting\n", cell_name(cell));
        firmware().system_reset();
    }
}

// SMC and HVC: the hypercall range goes to the dispatcher, everything else is PSCI.
void call(TrapFrame& frame, RunningCell& cell, unsigned cpu) {
    if (jailconf::hypercall::in_hypercall_range(frame.x[0]))
        hypercall::dispatch(frame, cell, cpu);
    else if (frame.x[0] == jailconf::hypercall::vendor_hyp_call_uid)
        hypercall::call_uid(frame);
    else
        psci_call(frame, cell, cpu);
}

} // namespace
} // namespace hv::arm64

using namespace hv::arm64;

extern "C" void hv_handle_lower_sync(TrapFrame* frame) {
    PerCpu& cpu = this_cpu();
    RunningCell& cell = *cpu.cell;
    const uint64_t esr = HV_READ_SYSREG(esr_el2);
    switch (ExceptionClass(esr_class(esr))) {
    case ExceptionClass::smc64:
        // A trapped SMC returns to the SMC itself; the emulated call completes it.
        HV_WRITE_SYSREG(elr_el2, HV_READ_SYSREG(elr_el2) + 4);
        call(*frame, cell, cpu.index);
        return;
    case ExceptionClass::hvc64:
        call(*frame, cell, cpu.index);
        return;
    case ExceptionClass::data_abort_lower: {
        const uint64_t ipa = fault_ipa(esr, HV_READ_SYSREG(far_el2));
        if (vgic::is_gic_address(ipa)) {
            // ISV: the syndrome names the register and size (not so for pair, writeback or
            // SIMD accesses, which the emulation cannot decode).
            if ((esr >> 24 & 1) == 0)
                forbidden_trap(cell, cpu.index, esr, hv::faults::FaultKind::other);
            vgic::emulate_mmio(*frame, cell, cpu.index, esr, ipa);
            return;
        }
        stray_access(cell, cpu.index, esr);
    }
    case ExceptionClass::instruction_abort_lower:
        stray_access(cell, cpu.index, esr);
    case ExceptionClass::sysreg:
        if (vgic::emulate_sysreg(*frame, cell, cpu.index, esr))
            return;
        forbidden_trap(cell, cpu.index, esr, hv::faults::FaultKind::forbidden_register);
    default:
        forbidden_trap(cell, cpu.index, esr, hv::faults::FaultKind::other);
    }
}

extern "C" void hv_handle_lower_irq(TrapFrame*) {
    PerCpu& cpu = this_cpu();
    RunningCell& cell = *cpu.cell;
    // The park SGI may also arrive late (the CPU was stopped and restarted meanwhile): then the
    // cell runs and the SGI is ignored.
    if (vgic::handle_irq(cell, cpu.index) != gic::park_sgi)
        return;
    if (lifecycle().state(cell.slot) != hv::cells::CellState::running) {
        cell_console().flush(cpu.index, cell_name(cell));
        park_this_cpu(cpu.index);
    }
}

extern "C" void hv_handle_lower_serror(TrapFrame*) {
    PerCpu& cpu = this_cpu();
    forbidden_trap(*cpu.cell, cpu.index, HV_READ_SYSREG(esr_el2), hv::faults::FaultKind::serror);
}
