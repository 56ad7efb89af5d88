// cpu0off: a root cell (examples/hv/manager.yaml) that turns off CPU 0, where the hypervisor's
// tick starts, while a watched cell hangs. CPU 0 starts the root's CPU 2, which creates the
// `hang` cell of examples/hv/monitor-cells.yaml (the `watched` inmate in mode hang, on CPU 1)
// and starts it; CPU 0 then calls PSCI CPU_OFF. The tick must move to CPU 2, so the watchdog
// still kills hang on time, and the root's notification (SGI 15) comes to CPU 2.
// tests/system expects the lines.
#include "inmates/lib/gic.hpp"
#include "inmates/lib/hypercalls.hpp"
#include "inmates/lib/inmate.hpp"

namespace {

using inmate::print;
namespace gic = inmate::gic;
namespace hc = jailconf::hypercall;

constexpr uint64_t hang_blob = 0x50000000;
constexpr uint64_t image = 0x50100000;
constexpr uint64_t image_max = 0x10000;
constexpr uint64_t cell_entry = 0x48000000;
constexpr uint64_t mode_address = 0x481ff000; // watched/main.cpp
constexpr uint64_t scratch = 0x48f00000;
constexpr uint32_t notify_sgi = 15;

volatile uint64_t g_started = 0; // CPU 2 created and started hang
volatile uint64_t g_notifications = 0;

void handler(uint32_t intid) {
    if (intid == notify_sgi)
        g_notifications = g_notifications + 1;
}

[[noreturn]] void give_up(const char* what, int64_t status) {
    print("cpu0off: FAILED: %s -> %ld\n", what, status);
    inmate::system_off();
}

} // namespace

extern "C" void inmate_main(uint64_t) {
    print("cpu0off: cpu 0 starts cpu 2\n");
    if (int64_t r = inmate::cpu_on(2, inmate_secondary_start, 0); r != 0)
        give_up("CPU_ON of cpu 2", r);
    while (g_started == 0) {
    }
    print("cpu0off: cpu 0 turns itself off\n");
    inmate::cpu_off();
}

extern "C" void inmate_secondary_main(uint64_t) {
    gic::set_handler(handler);
    if (!gic::init_cpu())
        give_up("gic init", -1);
    gic::enable(notify_sgi);
    gic::irqs_on();
    const inmate::Reply created =
        inmate::cell_create(hang_blob, inmate::descriptor_size(hang_blob));
    if (created.status < 0)
        give_up("cell_create", created.status);
    const int64_t id = created.status;
    if (int64_t r = inmate::cell_load(id, cell_entry, image, image_max); r != 0)
        give_up("cell_load", r);
    *reinterpret_cast<volatile uint64_t*>(scratch) = 1; // hang
    if (int64_t r = inmate::cell_load(id, mode_address, scratch, 8); r != 0)
        give_up("cell_load mode", r);
    if (int64_t r = inmate::cell_start(id); r != 0)
        give_up("cell_start", r);
    g_started = 1;
    while (inmate::affinity_info(0) != 1) { // 1: OFF
    }
    print("cpu0off: cpu 2 sees cpu 0 off; waiting for the watchdog\n");
    const uint64_t end = inmate::counter() + 5 * inmate::counter_frequency();
    inmate::Reply s = inmate::cell_get_state(id);
    while (s.status == int64_t(hc::CellState::running) && inmate::counter() < end) {
        inmate::delay_us(1000);
        s = inmate::cell_get_state(id);
    }
    inmate::delay_us(20000); // the notification follows the state change
    print("cpu0off: hang is %s, reason %lu, %lu notifications on cpu 2\n",
          s.status == int64_t(hc::CellState::failed) ? "failed" : "NOT KILLED", s.x2,
          g_notifications);
    if (int64_t r = inmate::cell_destroy(id); r != 0)
        give_up("cell_destroy", r);
    print("cpu0off: done\n");
    inmate::system_off();
}
