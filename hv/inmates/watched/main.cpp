// watched: a non-root cell with a communication region (examples/hv/monitor-cells.yaml). What it
// does is chosen by the root, which loads a mode word at `mode_address` next to the image:
//   hang   - beats its watchdog every 5 ms for 20 beats, prints the counter of its last beat,
//            then spins without beating: the hypervisor's watchdog kills it;
//   deaf   - beats forever and never looks at its messages: a shutdown request goes
//            unanswered and the hypervisor kills it after the timeout;
//   polite - beats and polls: denies the first shutdown request, acknowledges the second.
// tests/system expects the lines.
#include "inmates/lib/comm.hpp"
#include "inmates/lib/hypercalls.hpp"
#include "inmates/lib/inmate.hpp"

namespace {

using inmate::print;
namespace comm = inmate::comm;

constexpr uint64_t mode_address = 0x481ff000; // the last page of the cell's 2 MiB
enum Mode : uint64_t { hang = 1, deaf = 2, polite = 3 };

[[noreturn]] void run_hang() {
    uint64_t at = 0, beat = 0;
    for (unsigned i = 0; i < 20; ++i) {
        beat = comm::beat();
        at = inmate::counter();
        inmate::delay_us(5000);
    }
    print("watched: hang: beat %lu at counter %lu, now hanging\n", beat, at);
    for (;;) {
    }
}

[[noreturn]] void run_deaf() {
    print("watched: deaf: beating, never reading messages\n");
    for (;;) {
        comm::beat();
        inmate::delay_us(5000);
    }
}

[[noreturn]] void run_polite() {
    unsigned requests = 0;
    for (;;) {
        comm::beat();
        comm::Message m;
        if (comm::poll(m) && m.kind == comm::abi::Message::shutdown_request) {
            ++requests;
            const bool yes = requests >= 2;
            print("watched: polite: shutdown request seq %lu (%u ms to answer): %s\n", m.seq,
                  m.timeout_ms, yes ? "acknowledging" : "denying");
            comm::reply(m, yes ? comm::abi::Reply::acknowledge : comm::abi::Reply::deny);
        }
        inmate::delay_us(2000);
    }
}

} // namespace

extern "C" void inmate_main(uint64_t comm_address) {
    const uint64_t mode = *reinterpret_cast<volatile uint64_t*>(mode_address);
    if (!comm::attach(comm_address)) {
        print("watched: FAILED: no comm region at 0x%lx\n", comm_address);
        inmate::system_off();
    }
    print("watched: cell %ld, comm region at 0x%lx, tick %u ms, watchdog %u ms, mode %lu\n",
          inmate::cell_self(), comm_address, comm::tick_ms(), comm::watchdog_ms(), mode);
    if (mode == hang)
        run_hang();
    if (mode == deaf)
        run_deaf();
    if (mode == polite)
        run_polite();
    print("watched: FAILED: unknown mode %lu\n", mode);
    inmate::system_off();
}

extern "C" void inmate_secondary_main(uint64_t) {
    inmate::cpu_off();
}
