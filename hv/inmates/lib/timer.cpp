#include "inmates/lib/timer.hpp"

#include "inmates/lib/gic.hpp"

namespace inmate::timer {
namespace {
uint64_t g_period[8] = {}; // per CPU (Aff0)

unsigned me() {
    uint64_t v;
    __asm__ volatile("mrs %0, mpidr_el1" : "=r"(v));
    return unsigned(v & 7);
}
} // namespace

uint64_t frequency() {
    uint64_t v;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
    return v;
}

void spin(uint64_t loops) {
    for (uint64_t i = 0; i < loops; ++i)
        __asm__ volatile("" ::: "memory");
}

Calibration calibrate() {
    Calibration c;
    c.frequency = frequency();
    uint64_t best = ~uint64_t(0);
    for (int i = 0; i < 16; ++i) {
        const uint64_t a = now();
        const uint64_t b = now();
        if (b - a < best)
            best = b - a;
    }
    c.read_ticks = best;
    // Loops in 1000 ticks (16 us at 62.5 MHz), scaled to a microsecond.
    const uint64_t ticks = 1000;
    uint64_t loops = 0;
    const uint64_t start = now();
    while (now() - start < ticks) {
        spin(16);
        loops += 16;
    }
    c.loops_per_us = c.frequency == 0 ? 0 : loops * c.frequency / ticks / 1000000;
    return c;
}

void start_periodic(uint64_t period) {
    g_period[me()] = period;
    const uint64_t first = now() + period;
    __asm__ volatile("msr cntv_cval_el0, %0" : : "r"(first));
    __asm__ volatile("msr cntv_ctl_el0, %0; isb" : : "r"(uint64_t(1))); // enabled, not masked
    gic::enable(gic::vtimer_ppi);
}

void rearm() {
    uint64_t cval;
    __asm__ volatile("mrs %0, cntv_cval_el0" : "=r"(cval));
    cval += g_period[me()];
    const uint64_t t = now();
    if (cval <= t) // missed deadlines are not made up for
        cval = t + g_period[me()];
    __asm__ volatile("msr cntv_cval_el0, %0; isb" : : "r"(cval));
}

void stop() {
    __asm__ volatile("msr cntv_ctl_el0, %0; isb" : : "r"(uint64_t(0)));
    gic::disable(gic::vtimer_ppi);
}

uint64_t deadline() {
    uint64_t cval;
    __asm__ volatile("mrs %0, cntv_cval_el0" : "=r"(cval));
    return cval;
}

} // namespace inmate::timer
