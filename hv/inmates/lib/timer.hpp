// The generic timer for inmates: the virtual counter and the virtual timer (CNTV, PPI 27, the
// one the hypervisor delivers to the cell running on a CPU), and a calibration of both.
#pragma once

#include <stdint.h>

namespace inmate::timer {

inline uint64_t now() {
    uint64_t v;
    __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v) : : "memory");
    return v;
}
uint64_t frequency(); // CNTFRQ_EL0, Hz

// What calibrate() measured: the counter frequency, how many counter ticks one reading of the
// counter costs (the smallest difference of two back-to-back reads, usually 0), how many
// iterations of an empty loop take a microsecond.
struct Calibration {
    uint64_t frequency = 0;
    uint64_t read_ticks = 0;
    uint64_t loops_per_us = 0;
};
Calibration calibrate();
// Spins `loops` iterations of the loop calibrate() measured.
void spin(uint64_t loops);

// The virtual timer: the first deadline `period` ticks from now, then every `period` after the
// previous deadline (rearm() from the handler); enables PPI 27 at this CPU's redistributor.
void start_periodic(uint64_t period);
void rearm();
void stop();
// The deadline of the interrupt being handled (CNTV_CVAL_EL0).
uint64_t deadline();

} // namespace inmate::timer
