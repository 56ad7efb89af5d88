// rogue: reads its own memory, then the hypervisor's, which its cell does not own. The
// hypervisor must trap the second read, report it against this cell and stop the cell; the last
// line below is printed only if isolation is broken.
#include "inmates/lib/inmate.hpp"

namespace {
constexpr uint64_t hypervisor_memory = 0x7c000000;
volatile uint64_t g_own_word = 0x600d;
} // namespace

extern "C" void inmate_main(uint64_t) {
    using inmate::print;
    print("rogue: cpu 0x%lx up, own memory reads 0x%lx\n", inmate::mpidr(), g_own_word);
    print("rogue: reading hypervisor memory at 0x%lx\n", hypervisor_memory);
    const uint64_t stolen = *reinterpret_cast<volatile uint64_t*>(hypervisor_memory);
    print("rogue: ISOLATION BROKEN: read 0x%lx from the hypervisor\n", stolen);
    inmate::system_off();
}

extern "C" void inmate_secondary_main(uint64_t) {
    inmate::cpu_off();
}
