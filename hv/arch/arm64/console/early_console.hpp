// The console UART the hypervisor prints to before it has read its descriptor (the PL011 of
// QEMU virt, set at build time by HV_EARLY_CONSOLE), and the switch to the console the
// descriptor names.
#pragma once

#include <stdint.h>

namespace hv::arm64::hv_console {

uint64_t early_base();
void start_early();
// Prints to the PL011 at `base` from now on (the caller has mapped it).
void switch_to(uint64_t base);

} // namespace hv::arm64::hv_console
