// bench: the same image measured under the hypervisor (root cell, CPU 0 alone) and on bare metal
// (QEMU without virtualization, started at EL1 directly), under `-icount shift=0`, where one
// instruction is one nanosecond of virtual time: PMCCNTR_EL0 (QEMU counts it at 1 GHz of virtual
// time) then counts instructions, on every exception level (PMCCFILTR_EL0.NSH), and the virtual
// counter ticks every 1e9 / CNTFRQ instructions. bench/hv_bench.py runs both and prints the
// table. Measured:
//   boot     the virtual counter at the image's first instruction (start.S), as instructions
//            since reset: QEMU's boot code plus, under the hypervisor, all of its boot;
//   hvc/svc  a null call round trip: HVC `version` (under the hypervisor only) and SVC #0, whose
//            handler returns at once (start.S), averaged over 1000 calls minus the empty loop;
//   timer    a virtual-timer interrupt from its deadline to the first instruction of the C
//            handler (after the vector and the ICC_IAR1_EL1 read): the deadline is set a fixed
//            number of ticks after a counter edge the inmate saw, so both clocks line up within
//            the few instructions of the edge loop (the same on both runs).
// QEMU's loader writes 1 to the word at bare_flag for the bare-metal run (RAM reads 0 else).
#include "inmates/lib/gic.hpp"
#include "inmates/lib/hypercalls.hpp"
#include "inmates/lib/inmate.hpp"
#include "inmates/lib/timer.hpp"

extern "C" uint64_t inmate_start_counter;
// The same image runs on bare metal: no refusal without the hypervisor (inmates/lib/presence.hpp).
extern "C" const bool inmate_requires_hypervisor = false;

namespace {

using inmate::print;
namespace gic = inmate::gic;
namespace timer = inmate::timer;

constexpr uint64_t bare_flag = 0x48fff000;
constexpr uint64_t pl011 = 0x09000000;
constexpr unsigned calls = 1000;
constexpr unsigned samples = 200;

bool g_bare = false;
volatile uint64_t g_handler_cycles = 0;
volatile uint64_t g_fired = 0;

inline uint64_t cycles() {
    uint64_t v;
    __asm__ volatile("isb; mrs %0, pmccntr_el0" : "=r"(v) : : "memory");
    return v;
}

void pl011_write(const char* text, size_t length) {
    for (size_t i = 0; i < length; ++i) {
        auto* fr = reinterpret_cast<volatile uint32_t*>(pl011 + 0x18);
        while ((*fr & (1u << 5)) != 0) { // TXFF
        }
        *reinterpret_cast<volatile uint32_t*>(pl011) = uint8_t(text[i]);
    }
}

[[noreturn]] void power_off() {
    if (!g_bare)
        inmate::system_off();
    // Bare metal: QEMU's own PSCI, reached by HVC when the board has no EL2.
    register uint64_t x0 __asm__("x0") = 0x84000008;
    __asm__ volatile("hvc #0" : "+r"(x0) : : "memory");
    for (;;) {
    }
}

void handler(uint32_t intid) {
    g_handler_cycles = cycles();
    if (intid == gic::vtimer_ppi) {
        __asm__ volatile("msr cntv_ctl_el0, %0; isb" : : "r"(uint64_t(0)));
        g_fired = 1;
    }
}

// Tenths of an instruction per iteration: (total - empty) * 10 / n.
uint64_t tenths(uint64_t total, uint64_t empty, uint64_t n) {
    return total > empty ? (total - empty) * 10 / n : 0;
}

uint64_t empty_loop() {
    const uint64_t c0 = cycles();
    for (unsigned i = 0; i < calls; ++i)
        __asm__ volatile("" ::: "memory");
    return cycles() - c0;
}

void null_calls() {
    const uint64_t empty = empty_loop();
    uint64_t c0 = cycles();
    for (unsigned i = 0; i < calls; ++i)
        __asm__ volatile("svc #0" ::: "memory");
    const uint64_t svc = tenths(cycles() - c0, empty, calls);
    print("bench: svc %lu.%lu\n", svc / 10, svc % 10);
    if (g_bare)
        return;
    c0 = cycles();
    for (unsigned i = 0; i < calls; ++i)
        inmate::hv_version();
    const uint64_t hvc = tenths(cycles() - c0, empty, calls);
    print("bench: hvc %lu.%lu\n", hvc / 10, hvc % 10);
}

void timer_interrupts() {
    const uint64_t ns_per_tick = 1000000000 / timer::frequency();
    gic::enable(gic::vtimer_ppi);
    uint64_t total = 0, least = ~uint64_t(0), most = 0;
    for (unsigned i = 0; i < samples; ++i) {
        g_fired = 0;
        const uint64_t c0 = timer::now();
        uint64_t c1;
        while ((c1 = timer::now()) == c0) {
        }
        const uint64_t p1 = cycles();
        const uint64_t deadline = c1 + 50;
        __asm__ volatile("msr cntv_cval_el0, %0" : : "r"(deadline));
        __asm__ volatile("msr cntv_ctl_el0, %0; isb" : : "r"(uint64_t(1)));
        while (g_fired == 0) {
        }
        const uint64_t fired_at = p1 + (deadline - c1) * ns_per_tick;
        const uint64_t latency = g_handler_cycles > fired_at ? g_handler_cycles - fired_at : 0;
        total += latency;
        least = latency < least ? latency : least;
        most = latency > most ? latency : most;
    }
    const uint64_t avg = total * 10 / samples;
    print("bench: timer %lu.%lu min %lu max %lu\n", avg / 10, avg % 10, least, most);
}

// The hypervisor's integrity check (docs/measurements.md): the longest step one tick made, as
// the hypervisor measured it with the counter, after a few ticks.
void integrity_cost() {
    if (g_bare)
        return;
    inmate::delay_us(60000);
    const inmate::Reply s = inmate::integrity_status();
    const uint64_t ns_per_tick = 1000000000 / timer::frequency();
    print("bench: integrity step %lu passes %lu\n", s.x3 * ns_per_tick, s.x1);
}

} // namespace

extern "C" void inmate_main(uint64_t) {
    g_bare = *reinterpret_cast<volatile uint32_t*>(bare_flag) == 1;
    if (g_bare)
        hv::console::set_output(pl011_write);
    const uint64_t frequency = timer::frequency();
    print("bench: mode %s, counter %lu Hz\n", g_bare ? "bare" : "hv", frequency);
    print("bench: boot %lu\n", inmate_start_counter * (1000000000 / frequency));
    // PMCR_EL0.E (and C: reset the cycle counter), the cycle counter enabled, counting at EL2 too.
    __asm__ volatile("msr pmccfiltr_el0, %0" : : "r"(uint64_t(1) << 27));
    __asm__ volatile("msr pmcntenset_el0, %0" : : "r"(uint64_t(1) << 31));
    __asm__ volatile("msr pmcr_el0, %0; isb" : : "r"(uint64_t(1) | 1u << 2));
    gic::set_handler(handler);
    if (!gic::init_cpu()) {
        print("bench: FAILED: no redistributor\n");
        power_off();
    }
    gic::irqs_on();
    null_calls();
    timer_interrupts();
    integrity_cost();
    print("bench: done\n");
    power_off();
}

extern "C" void inmate_secondary_main(uint64_t) {
    inmate::cpu_off();
}
