// rtbeat: the real-time cell of the planned demo (tests/system, scripts/boot-planned.py): a cell
// with a watchdog and a communication region, as confgen's planner makes them. Its virtual timer
// interrupts it every millisecond, and each interrupt beats the heartbeat in the comm region
// (x0 on entry, the guest address the descriptor gives it). After `beating` interrupts it stops
// the timer and with it the heartbeat, as a real-time loop that hangs would: the hypervisor's
// watchdog must kill it within the timeout of its descriptor. Before that, if it is a peer of a
// link named `ping` (the planned demo's), it answers the root's pings on it (lib/pingpong.hpp)
// while its timer keeps beating. tests/system expects the lines.
#include "inmates/lib/comm.hpp"
#include "inmates/lib/gic.hpp"
#include "inmates/lib/hypercalls.hpp"
#include "inmates/lib/inmate.hpp"
#include "inmates/lib/pingpong.hpp"
#include "inmates/lib/timer.hpp"

namespace {

using inmate::print;
namespace comm = inmate::comm;
namespace gic = inmate::gic;
namespace timer = inmate::timer;

constexpr uint64_t beating = 300;    // interrupts (ms) with a heartbeat, then the simulated hang
constexpr uint64_t pong_rounds = 20; // as many as the planned root pings
constexpr uint64_t pong_idle_us = 2000000; // a root that never pings

volatile uint64_t g_ticks = 0;
volatile uint64_t g_heartbeat = 0;

void handler(uint32_t intid) {
    if (intid != gic::vtimer_ppi) {
        inmate::link_doorbell_handler(intid);
        return;
    }
    timer::rearm();
    g_ticks = g_ticks + 1;
    g_heartbeat = comm::beat();
}

} // namespace

extern "C" void inmate_main(uint64_t comm_address) {
    if (!comm::attach(comm_address)) {
        print("rtbeat: FAILED: no comm region at 0x%lx\n", comm_address);
        inmate::system_off();
    }
    print("rtbeat: cpu 0x%lx up, cell %ld, comm region at 0x%lx, tick %u ms, watchdog %u ms\n",
          inmate::mpidr(), inmate::cell_self(), comm_address, comm::tick_ms(), comm::watchdog_ms());
    gic::set_handler(handler);
    if (!gic::init_cpu()) {
        print("rtbeat: FAILED: no redistributor for this CPU\n");
        inmate::system_off();
    }
    gic::irqs_on();
    timer::start_periodic(timer::frequency() / 1000);
    inmate::Link probe;
    if (inmate::link_find("ping", probe) == 0) {
        namespace pp = inmate::pingpong;
        pp::Endpoint e;
        if (pp::open(e, "ping", "rtbeat")) {
            const pp::Stats st = pp::pong(e, pong_rounds, pong_idle_us);
            print("rtbeat: link ping: answered %lu pings, contents checked, %lu errors, %lu "
                  "doorbells\n",
                  st.rounds, st.errors, st.doorbells);
        }
    }
    uint64_t printed = 0;
    while (printed < beating) {
        __asm__ volatile("wfi");
        if (g_ticks >= printed + 100) {
            printed = g_ticks - g_ticks % 100;
            print("rtbeat: %lu timer interrupts, heartbeat %lu\n", printed, g_heartbeat);
        }
    }
    gic::irqs_off(); // no handler runs (and beats) after this: `last` is the final value
    timer::stop();
    const uint64_t last = g_heartbeat;
    print("rtbeat: simulating a hang: timer stopped, heartbeat stays at %lu (counter %lu)\n", last,
          inmate::counter());
    for (;;) {
    }
}

extern "C" void inmate_secondary_main(uint64_t) {
    inmate::cpu_off();
}
