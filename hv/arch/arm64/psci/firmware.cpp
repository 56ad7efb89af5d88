#include "arch/arm64/psci/firmware.hpp"

namespace hv::arm64::psci {
namespace {

int64_t smc(uint64_t function, uint64_t a1, uint64_t a2, uint64_t a3) {
    register uint64_t x0 __asm__("x0") = function;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;
    // SMCCC: x4-x17 may be clobbered by the callee.
    __asm__ volatile("smc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
                     :
                     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15",
                       "x16", "x17", "memory");
    return int64_t(x0);
}

[[noreturn]] void stay_stopped() {
    for (;;)
        __asm__ volatile("wfe");
}

} // namespace

int64_t SmcFirmware::cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context) {
    return smc(fn_cpu_on, mpidr, entry, context);
}

void SmcFirmware::cpu_off() {
    smc(fn_cpu_off, 0, 0, 0);
    stay_stopped();
}

void SmcFirmware::system_off() {
    smc(fn_system_off, 0, 0, 0);
    stay_stopped();
}

void SmcFirmware::system_reset() {
    smc(fn_system_reset, 0, 0, 0);
    stay_stopped();
}

} // namespace hv::arm64::psci
