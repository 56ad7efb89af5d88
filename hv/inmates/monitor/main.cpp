// monitor: the root cell (examples/hv/manager.yaml) for the watchdog and message-timeout demo. It
// creates three cells of examples/hv/monitor-cells.yaml from the blobs QEMU's loader put into
// its staging memory, all running the `watched` inmate in a different mode, and takes the
// hypervisor's notification (virtual SGI 15) on CPU 0:
//   1. hang stops beating: the watchdog kills it (failed, reason watchdog);
//   2. deaf gets a shutdown request it never answers: killed after its timeout (no reply);
//   3. polite denies a first request and acknowledges a second: shut down cleanly.
// Then everything is destroyed and the machine powered off. tests/system expects the lines.
#include "inmates/lib/cell_names.hpp"
#include "inmates/lib/gic.hpp"
#include "inmates/lib/hypercalls.hpp"
#include "inmates/lib/inmate.hpp"
#include "jailconf/comm_region.hpp"

namespace {

using inmate::print;
namespace gic = inmate::gic;
namespace hc = jailconf::hypercall;
namespace comm = jailconf::comm;

constexpr uint64_t image = 0x50100000;
constexpr uint64_t image_max = 0x10000;
constexpr uint64_t cell_entry = 0x48000000;
constexpr uint64_t mode_address = 0x481ff000; // in each cell (watched/main.cpp)
constexpr uint64_t scratch = 0x48f00000;      // in the root's own RAM
constexpr uint32_t notify_sgi = 15;

volatile uint64_t g_notifications = 0;

void handler(uint32_t intid) {
    if (intid == notify_sgi)
        g_notifications = g_notifications + 1;
}

[[noreturn]] void give_up(const char* what, int64_t status) {
    print("monitor: FAILED: %s -> %ld\n", what, status);
    inmate::system_off();
}

int64_t create_and_start(uint64_t blob, uint64_t mode) {
    const inmate::Reply created = inmate::cell_create(blob, inmate::descriptor_size(blob));
    if (created.status < 0)
        give_up("cell_create", created.status);
    const int64_t id = created.status;
    if (int64_t r = inmate::cell_load(id, cell_entry, image, image_max); r != 0)
        give_up("cell_load", r);
    *reinterpret_cast<volatile uint64_t*>(scratch) = mode;
    if (int64_t r = inmate::cell_load(id, mode_address, scratch, 8); r != 0)
        give_up("cell_load mode", r);
    if (int64_t r = inmate::cell_start(id); r != 0)
        give_up("cell_start", r);
    return id;
}

// Polls until cell `id` leaves `state` or `timeout_ms` pass; returns the counter when it did.
uint64_t wait_while(int64_t id, hc::CellState state, unsigned timeout_ms) {
    const uint64_t per_ms = inmate::counter_frequency() / 1000;
    const uint64_t end = inmate::counter() + timeout_ms * per_ms;
    while (inmate::counter() < end) {
        if (inmate::cell_get_state(id).status != int64_t(state))
            return inmate::counter();
        inmate::delay_us(200);
    }
    return 0;
}

void report(const char* name, int64_t id) {
    const inmate::Reply s = inmate::cell_get_state(id);
    print("monitor: %s is %s, reason %s (%lu), %lu notifications so far\n", name,
          inmate::state_name(s.status), inmate::reason_name(s.x2), s.x2, g_notifications);
}

bool contains(const char* text, uint64_t length, const char* word) {
    for (uint64_t i = 0; i < length; ++i) {
        uint64_t k = 0;
        while (word[k] != '\0' && i + k < length && text[i + k] == word[k])
            ++k;
        if (word[k] == '\0')
            return true;
    }
    return false;
}

// Reads the hypervisor's console ring from the start, in pieces, and looks for the watchdog's
// report about hang (printed by the hypervisor, not by this cell).
void read_console_ring() {
    constexpr uint64_t piece = 1024; // several calls, lines straddling pieces
    const char* watchdog = "hv: watchdog: cell hang killed";
    uint64_t position = 0, total = 0, calls = 0, oldest = 0;
    bool found = false;
    auto* buffer = reinterpret_cast<volatile char*>(scratch);
    for (;;) {
        const inmate::Reply r =
            inmate::hypercall(uint32_t(hc::Function::console_read), scratch, piece, position);
        if (r.status < 0)
            give_up("console_read", r.status);
        ++calls;
        if (calls == 1)
            oldest = r.x3;
        if (r.status == 0)
            break;
        // A line may straddle two pieces: keep the tail of the previous piece in view.
        found = found || contains(const_cast<const char*>(buffer), uint64_t(r.status), watchdog);
        total = r.x2;
        position = r.x2 > 64 && uint64_t(r.status) == piece ? r.x2 - 64 : r.x2;
        if (uint64_t(r.status) < piece)
            break;
    }
    const inmate::Reply bad =
        inmate::hypercall(uint32_t(hc::Function::console_read), 0x7c000000, piece, 0);
    print("monitor: console ring: read to position %lu in %lu calls (oldest %lu)\n", total, calls,
          oldest);
    print("monitor: console ring: the watchdog report about hang is %s\n",
          found ? "there" : "MISSING");
    print("monitor: console_read into hypervisor memory -> %ld\n", bad.status);
}

} // namespace

extern "C" void inmate_main(uint64_t) {
    const int64_t version = inmate::hv_version();
    print("monitor: hypercall ABI %ld.%ld, cell %ld\n", version >> 16, version & 0xffff,
          inmate::cell_self());
    gic::set_handler(handler);
    if (!gic::init_cpu())
        give_up("gic init", -1);
    gic::enable(notify_sgi);
    gic::irqs_on();

    const int64_t hang = create_and_start(0x50000000, 1);
    const int64_t deaf = create_and_start(0x50010000, 2);
    const int64_t polite = create_and_start(0x50020000, 3);

    // 1. The watchdog.
    if (wait_while(hang, hc::CellState::running, 5000) == 0)
        give_up("waiting for the watchdog to kill hang", inmate::cell_get_state(hang).status);
    inmate::delay_us(1000); // the notification follows the state change
    report("hang", hang);

    // 2. A shutdown request nobody answers.
    const uint64_t asked = inmate::counter();
    inmate::Reply r = inmate::hypercall(uint32_t(hc::Function::cell_shutdown), uint64_t(deaf));
    print("monitor: shutdown deaf -> %ld (seq %lu, %lu ms to answer)\n", r.status, r.x1, r.x2);
    if (r.status != int64_t(hc::shutdown_requested))
        give_up("shutdown request to deaf", r.status);
    const uint64_t killed = wait_while(deaf, hc::CellState::running, 5000);
    if (killed == 0)
        give_up("waiting for deaf to be killed", inmate::cell_get_state(deaf).status);
    inmate::delay_us(1000);
    print("monitor: deaf left running %lu us after the request\n",
          (killed - asked) * 1000000 / inmate::counter_frequency());
    report("deaf", deaf);

    // 3. Denied, then acknowledged.
    r = inmate::hypercall(uint32_t(hc::Function::cell_shutdown), uint64_t(polite));
    print("monitor: shutdown polite -> %ld (seq %lu)\n", r.status, r.x1);
    inmate::delay_us(100000);
    report("polite", polite);
    r = inmate::hypercall(uint32_t(hc::Function::cell_shutdown), uint64_t(polite));
    print("monitor: shutdown polite again -> %ld (seq %lu)\n", r.status, r.x1);
    if (wait_while(polite, hc::CellState::running, 5000) == 0)
        give_up("waiting for polite to stop", inmate::cell_get_state(polite).status);
    inmate::delay_us(1000);
    report("polite", polite);

    const int64_t cells[] = {hang, deaf, polite};
    for (const int64_t id : cells) {
        if (int64_t d = inmate::cell_destroy(id); d != 0)
            give_up("cell_destroy", d);
    }
    read_console_ring();
    print("monitor: done, powering off\n");
    inmate::system_off();
}

extern "C" void inmate_secondary_main(uint64_t) {
    inmate::cpu_off();
}
