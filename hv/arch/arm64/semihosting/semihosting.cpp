#include "arch/arm64/semihosting/semihosting.hpp"

namespace hv::arm64::semihosting {
namespace {
constexpr uint64_t sys_exit = 0x18;
// ADP_Stopped_ApplicationExit: with the parameter block below, the subcode is the exit status.
constexpr uint64_t adp_stopped_application_exit = 0x20026;
} // namespace

void exit(ExitStatus status) {
    // AArch64 SYS_EXIT takes a pointer to {reason, subcode}.
    const uint64_t block[2] = {adp_stopped_application_exit, uint64_t(status)};
    register uint64_t op __asm__("x0") = sys_exit;
    register const uint64_t* param __asm__("x1") = block;
    __asm__ volatile("hlt #0xf000" : : "r"(op), "r"(param) : "memory");
    // Without semihosting the HLT traps as undefined; should it ever return, stay stopped.
    for (;;)
        __asm__ volatile("wfe");
}

} // namespace hv::arm64::semihosting
