// skeleton: the smallest inmate, to copy for a new one (see README.md). It prints through the
// hypervisor's console, asks which cell it is, and powers its cell off.
#include "inmates/lib/hypercalls.hpp"
#include "inmates/lib/inmate.hpp"

extern "C" void inmate_main(uint64_t) {
    inmate::print("skeleton: cpu 0x%lx up in cell %ld\n", inmate::mpidr(), inmate::cell_self());
    // Your cell's work goes here.
    inmate::system_off(); // the root cell: the machine; any other cell: only this cell
}

// CPUs started with inmate::cpu_on(..., inmate_secondary_start, context) come here.
extern "C" void inmate_secondary_main(uint64_t) {
    inmate::cpu_off();
}
