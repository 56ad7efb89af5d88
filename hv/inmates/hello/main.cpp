// hello: the first CPU of the cell prints, starts the cell's second CPU through PSCI CPU_ON,
// checks that a CPU outside the cell is refused, waits for the second CPU to report, and powers
// the system off. The system test (tests/system) expects these lines.
#include "inmates/lib/inmate.hpp"

namespace {
// Set by the second CPU. The cell runs with its MMU off, so memory is device memory, uncached:
// a volatile store is seen by the other CPU without further barriers beyond the dsb.
volatile uint64_t g_second_cpu_done = 0;
constexpr uint64_t second_cpu = 1;  // MPIDR affinity of the cell's second CPU (CPU 1)
constexpr uint64_t foreign_cpu = 2; // a CPU of the machine that is not the cell's
constexpr uint64_t handshake = 0x4a43;
} // namespace

extern "C" void inmate_main(uint64_t) {
    using inmate::print;
    const uint32_t version = inmate::psci_version();
    print("hello: cpu 0x%lx up, PSCI %u.%u\n", inmate::mpidr(), version >> 16, version & 0xffff);
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

extern "C" void inmate_secondary_main(uint64_t context) {
    inmate::print("hello: cpu 0x%lx up, context 0x%lx\n", inmate::mpidr(), context);
    g_second_cpu_done = 1;
    __asm__ volatile("dsb sy" ::: "memory");
    inmate::cpu_off();
}
