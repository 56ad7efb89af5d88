// Arm semihosting (HLT #0xF000 at AArch64): how the hypervisor ends a QEMU run with a status.
// Needs QEMU's -semihosting-config enable=on,target=native; elsewhere the HLT is undefined.
#pragma once

#include <stdint.h>

namespace hv::arm64::semihosting {

// Exit statuses of the hypervisor (docs/boot-protocol.md). A root cell's PSCI SYSTEM_OFF ends
// the run through firmware PSCI instead, with status 0.
enum class ExitStatus : uint32_t {
    descriptor_refused = 1, // the system descriptor is absent, invalid or unusable
    hypervisor_fault = 2,   // an unexpected exception or internal error in the hypervisor
    no_cell_running = 3,    // every cell was stopped (faults), nothing is left to run
};

[[noreturn]] void exit(ExitStatus status);

} // namespace hv::arm64::semihosting
