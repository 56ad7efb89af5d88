// The inmate runtime: what a cell's program gets from hv/inmates/lib. Start-up (start.S) calls
// inmate_main on the first CPU and inmate_secondary_main on CPUs started with cpu_on(); print()
// goes to the hypervisor's console through the console_write hypercall (the hypervisor owns the
// UART and prefixes each line with the cell's name); the PSCI calls go to the hypervisor, which
// emulates them for the cell's own CPUs; the hypercall wrappers are in hypercalls.hpp.
#pragma once

#include <stdint.h>

#include "core/console/console.hpp"

extern "C" {
void inmate_main(uint64_t context);
void inmate_secondary_main(uint64_t context);
void inmate_secondary_start(); // the entry address to pass to cpu_on()
}

namespace inmate {

using hv::console::print;

// PSCI through SMC (the hypervisor traps SMC; HVC works the same).
uint32_t psci_version();
int64_t psci_features(uint32_t function);
int64_t cpu_on(uint64_t mpidr, void (*entry)(), uint64_t context);
int64_t affinity_info(uint64_t mpidr);
[[noreturn]] void cpu_off();
[[noreturn]] void system_off();

// This CPU's MPIDR affinity (Aff3, Aff2..Aff0).
uint64_t mpidr();

// The generic timer's physical counter, and a busy wait on it.
uint64_t counter();
uint64_t counter_frequency();
void delay_us(uint64_t microseconds);

} // namespace inmate
