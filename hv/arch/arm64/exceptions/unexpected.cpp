// An exception taken from EL2 itself (or from a cell in a way the hypervisor never configures)
// is a hypervisor bug: report everything that explains it and stop the machine.
#include "arch/arm64/cpu/sysreg.hpp"
#include "arch/arm64/cpu/trap_frame.hpp"
#include "arch/arm64/exceptions/esr.hpp"
#include "arch/arm64/semihosting/semihosting.hpp"
#include "core/console/console.hpp"

namespace {

// Indexed by vector slot (exceptions/vectors.S).
const char* const vector_names[16] = {
    "synchronous exception at EL2 (SP_EL0)",
    "IRQ at EL2 (SP_EL0)",
    "FIQ at EL2 (SP_EL0)",
    "SError at EL2 (SP_EL0)",
    "synchronous exception at EL2",
    "IRQ at EL2",
    "FIQ at EL2",
    "SError at EL2",
    "synchronous exception from a cell",
    "IRQ from a cell",
    "FIQ from a cell",
    "SError from a cell",
    "synchronous exception from AArch32",
    "IRQ from AArch32",
    "FIQ from AArch32",
    "SError from AArch32",
};

} // namespace

extern "C" [[noreturn]] void hv_unexpected_exception(const hv::arm64::TrapFrame* frame,
                                                     uint64_t vector) {
    using hv::console::print;
    const uint64_t esr = HV_READ_SYSREG(esr_el2);
    char detail[160];
    hv::arm64::describe_esr(esr, detail, sizeof(detail));
    const uint64_t mpidr = HV_READ_SYSREG(mpidr_el1);
    print("hv: PANIC: unexpected %s on cpu (MPIDR 0x%lx)\n", vector_names[vector & 15], mpidr);
    print("hv:   ESR 0x%08lx: %s\n", esr, detail);
    print("hv:   FAR 0x%016lx  ELR 0x%016lx  SPSR 0x%08lx\n", HV_READ_SYSREG(far_el2),
          HV_READ_SYSREG(elr_el2), HV_READ_SYSREG(spsr_el2));
    for (unsigned i = 0; i < 31; i += 2) {
        if (i == 30)
            print("hv:   x30 0x%016lx\n", frame->x[30]);
        else
            print("hv:   x%-2u 0x%016lx  x%-2u 0x%016lx\n", i, frame->x[i], i + 1, frame->x[i + 1]);
    }
    hv::arm64::semihosting::exit(hv::arm64::semihosting::ExitStatus::hypervisor_fault);
}
