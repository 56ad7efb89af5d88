// timer: a non-root cell (examples/hv/timer-cells.yaml: CPUs 2-3, interrupt 34) taking periodic
// virtual-timer interrupts and printing a count, and probing what the hypervisor's GIC lets it
// do. On its first CPU it
//   1. calibrates the generic timer;
//   2. tries to enable and route SPI 33, which is the root cell's: the hypervisor refuses and
//      reports it, and the distributor reads back 0 for it;
//   3. enables its own SPI 34, routed to itself, and makes it pending: it arrives as a
//      hardware-linked virtual interrupt;
//   4. starts its second CPU, which enables SGI 5 and waits; sends SGI 5 to it (delivered) and to
//      CPU 0, the root cell's (dropped by the hypervisor);
//   5. runs the virtual timer every millisecond, prints the count every 100 interrupts, and
//      powers the cell off (PSCI SYSTEM_OFF) after 200. tests/system expects these lines.
#include "inmates/lib/gic.hpp"
#include "inmates/lib/hypercalls.hpp"
#include "inmates/lib/inmate.hpp"
#include "inmates/lib/timer.hpp"

namespace {

using inmate::print;
namespace gic = inmate::gic;
namespace timer = inmate::timer;

constexpr uint32_t foreign_spi = 33; // the root cell's
constexpr uint32_t own_spi = 34;
constexpr uint32_t sgi = 5;
constexpr uint64_t second_cpu = 3, root_cpu = 0;
constexpr uint64_t interrupts = 200; // then the cell powers itself off

volatile uint64_t g_ticks = 0;
volatile uint64_t g_spis = 0;
volatile uint64_t g_sgis = 0;
volatile uint64_t g_second_ready = 0;

void handler(uint32_t intid) {
    if (intid == gic::vtimer_ppi) {
        timer::rearm();
        g_ticks = g_ticks + 1;
    } else if (intid == own_spi) {
        g_spis = g_spis + 1;
    } else if (intid == sgi) {
        g_sgis = g_sgis + 1;
    }
}

template <typename F> bool wait_for(F done, uint64_t microseconds) {
    const uint64_t end = timer::now() + microseconds * (timer::frequency() / 1000000);
    while (!done()) {
        if (timer::now() > end)
            return false;
    }
    return true;
}

} // namespace

extern "C" void inmate_main(uint64_t) {
    print("timer: cpu 0x%lx up, cell %ld\n", inmate::mpidr(), inmate::cell_self());
    gic::set_handler(handler);
    if (!gic::init_cpu()) {
        print("timer: FAILED: no redistributor for this CPU\n");
        inmate::system_off();
    }
    const timer::Calibration c = timer::calibrate();
    print("timer: counter %lu Hz, a read costs %lu ticks, %lu loops/us\n", c.frequency,
          c.read_ticks, c.loops_per_us);
    gic::irqs_on();

    gic::enable(foreign_spi);
    gic::route(foreign_spi, inmate::mpidr());
    print("timer: enable SPI %u (the root's) -> reads back %s, route 0x%lx\n", foreign_spi,
          gic::is_enabled(foreign_spi) ? "ENABLED" : "disabled", gic::route_of(foreign_spi));

    gic::route(own_spi, inmate::mpidr());
    gic::set_priority(own_spi, 0x40);
    gic::enable(own_spi);
    gic::set_pending(own_spi);
    const bool spi = wait_for([] { return g_spis != 0; }, 100000);
    print("timer: own SPI %u %s (enabled %d, route 0x%lx)\n", own_spi,
          spi ? "delivered" : "NOT DELIVERED", gic::is_enabled(own_spi), gic::route_of(own_spi));

    const int64_t on = inmate::cpu_on(second_cpu, inmate_secondary_start, 0);
    if (on != 0 || !wait_for([] { return g_second_ready != 0; }, 500000))
        print("timer: FAILED: second CPU not ready (%ld)\n", on);
    gic::send_sgi(second_cpu, sgi);
    gic::send_sgi(root_cpu, sgi);

    timer::start_periodic(timer::frequency() / 1000);
    uint64_t printed = 0;
    while (printed < interrupts) {
        __asm__ volatile("wfi");
        if (g_ticks >= printed + 100) {
            printed = g_ticks - g_ticks % 100;
            print("timer: %lu timer interrupts\n", printed);
        }
    }
    timer::stop();
    print("timer: done, SYSTEM_OFF\n");
    inmate::system_off();
}

extern "C" void inmate_secondary_main(uint64_t) {
    gic::set_handler(handler);
    if (!gic::init_cpu()) {
        print("timer: FAILED: no redistributor for cpu 0x%lx\n", inmate::mpidr());
        inmate::cpu_off();
    }
    gic::enable(sgi);
    gic::irqs_on();
    g_second_ready = 1;
    const bool got = wait_for([] { return g_sgis != 0; }, 500000);
    print("timer: cpu 0x%lx %s SGI %u from its cell\n", inmate::mpidr(),
          got ? "got" : "DID NOT GET", sgi);
    for (;;)
        __asm__ volatile("wfi");
}
