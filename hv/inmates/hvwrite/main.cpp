// hvwrite: a root cell (examples/hv/manager.yaml) that writes into the hypervisor's memory: first
// through hypercalls that take a buffer (refused with invalid_address, nothing written), then
// with a plain store into the hypervisor's text at 0x7c000000, which is in no region of the root
// and so not in its stage 2: the store is a stage-2 fault, attributed to the root on its CPU, and
// the root is stopped (failed) like any faulting cell. With no cell left running the hypervisor
// ends the run (exit status 3). tests/system expects the lines.
#include "inmates/lib/hypercalls.hpp"
#include "inmates/lib/inmate.hpp"

namespace hc = jailconf::hypercall;

extern "C" void inmate_main(uint64_t) {
    constexpr uint64_t hv_text = 0x7c000000;
    const int64_t by_console =
        inmate::hypercall(uint32_t(hc::Function::console_read), hv_text, 64, 0).status;
    const int64_t by_log = inmate::measurement_read(0, hv_text, 64).status;
    inmate::print("hvwrite: console_read into 0x%lx -> %ld, measurement_read -> %ld\n", hv_text,
                  by_console, by_log);
    inmate::print("hvwrite: writing 0xd4200000 to hypervisor text at 0x%lx\n", hv_text);
    *reinterpret_cast<volatile uint32_t*>(uintptr_t(hv_text)) = 0xd4200000; // brk #0
    inmate::print("hvwrite: ISOLATION BROKEN: the write went through\n");
    inmate::system_off();
}

extern "C" void inmate_secondary_main(uint64_t) {
    inmate::cpu_off();
}
