// hello: as the root cell, the first CPU prints, starts the cell's second CPU through PSCI
// CPU_ON, checks that a CPU outside the cell is refused, waits for the second CPU to report, and
// powers the system off. As a non-root cell (created by the manager inmate), it checks that the
// memory above its image reads zero (the hypervisor zeroes a cell's memory before the cell gets
// it), fills it with a pattern the next owner must not see, and then prints a tick every 20 ms
// until it is stopped. The system tests (tests/system) expect these lines.
#include "inmates/lib/hypercalls.hpp"
#include "inmates/lib/inmate.hpp"

extern "C" char __bss_end[];

namespace {
// Set by the second CPU. The cell runs with its MMU off, so memory is device memory, uncached:
// a volatile store is seen by the other CPU without further barriers beyond the dsb.
volatile uint64_t g_second_cpu_done = 0;
constexpr uint64_t second_cpu = 1;  // MPIDR affinity of the root cell's second CPU (CPU 1)
constexpr uint64_t foreign_cpu = 2; // a CPU of the machine that is not the root cell's
constexpr uint64_t handshake = 0x4a43;
// The part of a non-root hello's 2 MiB region (examples/hv/cells.yaml) above its image, bss and
// stacks, and above what the manager copies into the cell (64 KiB).
constexpr uint64_t fresh_start = 0x48040000;
constexpr uint64_t fresh_end = 0x48200000;
constexpr uint64_t pattern = 0xa5a5'5a5a'a5a5'5a5a;

void check_and_fill_fresh_memory() {
    using inmate::print;
    if (uint64_t(reinterpret_cast<uintptr_t>(__bss_end)) > fresh_start) {
        print("hello: image too large for the memory check\n");
        return;
    }
    auto* words = reinterpret_cast<volatile uint64_t*>(fresh_start);
    const uint64_t count = (fresh_end - fresh_start) / 8;
    uint64_t nonzero = 0, first = 0;
    for (uint64_t i = 0; i < count; ++i) {
        if (words[i] != 0 && nonzero++ == 0)
            first = fresh_start + 8 * i;
    }
    if (nonzero == 0)
        print("hello: %lu KiB of fresh memory read zero\n", (fresh_end - fresh_start) / 1024);
    else
        print("hello: MEMORY NOT ZERO: %lu words, the first at 0x%lx\n", nonzero, first);
    for (uint64_t i = 0; i < count; ++i)
        words[i] = pattern;
    print("hello: filled it with 0x%lx for the next owner\n", pattern);
}

[[noreturn]] void run_as_root() {
    using inmate::print;
    print("hello: CPU_ON of cpu 0x%lx (not in this cell) -> %ld\n", foreign_cpu,
          inmate::cpu_on(foreign_cpu, inmate_secondary_start, 0));
    const int64_t r = inmate::cpu_on(second_cpu, inmate_secondary_start, handshake);
    print("hello: CPU_ON of cpu 0x%lx -> %ld\n", second_cpu, r);
    if (r != 0)
        inmate::system_off();
    while (g_second_cpu_done == 0) {
    }
    print("hello: cpu 0x%lx saw cpu 0x%lx finish; AFFINITY_INFO -> %ld; SYSTEM_OFF\n",
          inmate::mpidr(), second_cpu, inmate::affinity_info(second_cpu));
    inmate::system_off();
}

[[noreturn]] void run_as_cell() {
    using inmate::print;
    check_and_fill_fresh_memory();
    print("hello: CPU_ON of cpu 0x0 (not in this cell) -> %ld\n",
          inmate::cpu_on(0, inmate_secondary_start, 0));
    for (unsigned tick = 1;; ++tick) {
        inmate::delay_us(20000);
        print("hello: tick %u\n", tick);
    }
}
} // namespace

extern "C" void inmate_main(uint64_t) {
    const uint32_t version = inmate::psci_version();
    const int64_t self = inmate::cell_self();
    inmate::print("hello: cpu 0x%lx up, PSCI %u.%u, cell %ld\n", inmate::mpidr(), version >> 16,
                  version & 0xffff, self);
    if (self == 0)
        run_as_root();
    run_as_cell();
}

extern "C" void inmate_secondary_main(uint64_t context) {
    inmate::print("hello: cpu 0x%lx up, context 0x%lx\n", inmate::mpidr(), context);
    g_second_cpu_done = 1;
    __asm__ volatile("dsb sy" ::: "memory");
    inmate::cpu_off();
}
