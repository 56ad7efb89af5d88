// irqhost: the root cell (examples/hv/manager.yaml) for the interrupt demo. It takes its own
// virtual-timer interrupts on CPU 0 (every 2 ms) and counts SGI 5, creates the `timer` cell
// (examples/hv/timer-cells.yaml) from the blob and image QEMU's loader put into its staging
// memory, waits until the cell has powered itself off (after its 200 timer interrupts), then
// reports what it received meanwhile, destroys the cell and powers off. The timer cell's SGI 5
// aimed at CPU 0 must never arrive. tests/system expects the lines.
#include "inmates/lib/gic.hpp"
#include "inmates/lib/hypercalls.hpp"
#include "inmates/lib/inmate.hpp"
#include "inmates/lib/timer.hpp"

namespace {

using inmate::print;
namespace gic = inmate::gic;
namespace timer = inmate::timer;

constexpr uint64_t timer_blob = 0x50000000;
constexpr uint64_t timer_image = 0x50100000;
constexpr uint64_t image_max = 0x10000;
constexpr uint64_t cell_entry = 0x48000000;
constexpr uint32_t sgi = 5;

volatile uint64_t g_ticks = 0, g_sgis = 0;

void handler(uint32_t intid) {
    if (intid == gic::vtimer_ppi) {
        timer::rearm();
        g_ticks = g_ticks + 1;
    } else if (intid == sgi) {
        g_sgis = g_sgis + 1;
    }
}

[[noreturn]] void give_up(const char* what, int64_t status) {
    print("irqhost: FAILED: %s -> %ld\n", what, status);
    inmate::system_off();
}

} // namespace

extern "C" void inmate_main(uint64_t) {
    print("irqhost: cpu 0x%lx up, cell %ld\n", inmate::mpidr(), inmate::cell_self());
    gic::set_handler(handler);
    if (!gic::init_cpu())
        give_up("gic init", -1);
    gic::enable(sgi);
    gic::irqs_on();
    timer::start_periodic(timer::frequency() / 500);

    const inmate::Reply created =
        inmate::cell_create(timer_blob, inmate::descriptor_size(timer_blob));
    if (created.status < 0)
        give_up("cell_create", created.status);
    const int64_t id = created.status;
    if (int64_t r = inmate::cell_load(id, cell_entry, timer_image, image_max); r != 0)
        give_up("cell_load", r);
    if (int64_t r = inmate::cell_start(id); r != 0)
        give_up("cell_start", r);
    const uint64_t start = g_ticks;
    // The timer cell powers itself off after its 200 interrupts.
    bool stopped = false;
    for (unsigned ms = 0; ms < 10000 && !stopped; ++ms) {
        stopped =
            inmate::cell_get_state(id).status == int64_t(jailconf::hypercall::CellState::stopped);
        inmate::delay_us(1000);
    }
    if (!stopped)
        give_up("waiting for the timer cell to stop", inmate::cell_get_state(id).status);
    print("irqhost: %lu own timer interrupts while the timer cell ran, %lu SGIs from other cells\n",
          g_ticks - start, g_sgis);
    timer::stop();
    print("irqhost: destroy timer -> %ld\n", inmate::cell_destroy(id));
    inmate::system_off();
}

extern "C" void inmate_secondary_main(uint64_t) {
    inmate::cpu_off();
}
