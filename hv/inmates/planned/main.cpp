// planned: the root cell for the descriptors confgen's planner generated (scripts/boot-planned.py,
// docs/boot-protocol.md "Booting a planned system"). It knows no address of the plan itself: the
// script reads the generated YAML and blobs and leaves a *staging table* at `table_address` in
// the root's RAM (QEMU's loader), listing for each non-root cell where its cell blob and its image
// were staged and the guest address of the cell's loadable region, and the names of the links.
// For each cell it creates the cell from its blob, loads the image and starts it; on every link
// it is the first peer of it runs the ping side of the link ping-pong (lib/pingpong.hpp; rtbeat
// answers); then it waits for every cell with a watchdog
// to be killed (the rt demo inmate stops beating on purpose), checks the other cells still run,
// destroys everything and powers off. tests/system expects the lines.
#include "inmates/lib/cell_names.hpp"
#include "inmates/lib/gic.hpp"
#include "inmates/lib/hypercalls.hpp"
#include "inmates/lib/inmate.hpp"
#include "inmates/lib/pingpong.hpp"
#include "jailconf/comm_region.hpp"

namespace {

using inmate::print;
namespace gic = inmate::gic;
namespace hc = jailconf::hypercall;
namespace comm = jailconf::comm;

// The staging table (little-endian, written by scripts/boot-planned.py, which must agree).
constexpr uint64_t table_address = 0x50000000;
constexpr char table_magic[8] = {'J', 'C', 'S', 'T', 'A', 'G', 'E', '1'};
constexpr uint32_t max_cells = 7; // cell ids 1..7
constexpr uint32_t max_links = 4;
struct StagedCell {
    char name[32];  // NUL-terminated
    char image[32]; // the inmate's name, for the report
    uint64_t blob, blob_size;
    uint64_t image_address, image_size;
    uint64_t load;        // guest address in the cell (its loadable region)
    uint64_t watchdog_ms; // from the descriptor; 0 = none
};
struct Table {
    char magic[8];
    uint32_t count;
    uint32_t link_count; // links in the generated system
    StagedCell cells[max_cells];
    char links[max_links][32]; // their names (NUL-terminated), link_count of them
};
static_assert(sizeof(StagedCell) == 112);
static_assert(sizeof(Table) == 16 + max_cells * 112 + max_links * 32);
constexpr uint64_t ping_rounds = 20;
constexpr uint32_t ping_size = 64;

constexpr uint32_t notify_sgi = 15;
volatile uint64_t g_notifications = 0;

void handler(uint32_t intid) {
    if (intid == notify_sgi)
        g_notifications = g_notifications + 1;
    else
        inmate::link_doorbell_handler(intid);
}

// The ping side on link `name` when the root is its first peer.
void ping_on(const char* name) {
    namespace pp = inmate::pingpong;
    pp::Endpoint e;
    if (!pp::open(e, name, "planned"))
        return;
    if (e.link.peer_index != 0) {
        print("planned: link %s: the root is peer %u; only the first peer pings\n", name,
              e.link.peer_index);
        return;
    }
    const pp::Stats st = pp::ping(e, ping_rounds, ping_size);
    print("planned: link %s: %lu round trips of %u bytes, contents checked both ways, %lu "
          "errors, %lu doorbells\n",
          name, st.rounds, ping_size, st.errors, st.doorbells);
}

[[noreturn]] void give_up(const char* what, int64_t status) {
    print("planned: FAILED: %s -> %ld\n", what, status);
    inmate::system_off();
}

// Polls until cell `id` leaves `state` or `timeout_ms` pass; false on timeout.
bool wait_while(int64_t id, hc::CellState state, unsigned timeout_ms) {
    const uint64_t per_ms = inmate::counter_frequency() / 1000;
    const uint64_t end = inmate::counter() + timeout_ms * per_ms;
    while (inmate::counter() < end) {
        if (inmate::cell_get_state(id).status != int64_t(state))
            return true;
        inmate::delay_us(500);
    }
    return false;
}

bool valid(const volatile Table& t) {
    for (unsigned i = 0; i < sizeof table_magic; ++i) {
        if (t.magic[i] != table_magic[i])
            return false;
    }
    return t.count >= 1 && t.count <= max_cells;
}

} // namespace

extern "C" void inmate_main(uint64_t) {
    const int64_t version = inmate::hv_version();
    print("planned: hypercall ABI %ld.%ld, cell %ld\n", version >> 16, version & 0xffff,
          inmate::cell_self());
    const auto& table = *reinterpret_cast<const volatile Table*>(table_address);
    if (!valid(table))
        give_up("no staging table at 0x50000000 (scripts/boot-planned.py writes it)", -1);
    const uint32_t count = table.count;
    print("planned: staging table at 0x%lx: %u cells, %u links\n", table_address, count,
          table.link_count);

    gic::set_handler(handler);
    if (!gic::init_cpu())
        give_up("gic init", -1);
    gic::enable(notify_sgi);
    gic::irqs_on();

    int64_t ids[max_cells] = {};
    for (uint32_t i = 0; i < count; ++i) {
        const volatile StagedCell& c = table.cells[i];
        const char* name = const_cast<const char*>(c.name);
        print("planned: %s: blob at 0x%lx (%lu bytes), image %s at 0x%lx (%lu bytes) -> guest "
              "0x%lx\n",
              name, c.blob, c.blob_size, const_cast<const char*>(c.image), c.image_address,
              c.image_size, c.load);
        const inmate::Reply created = inmate::cell_create(c.blob, c.blob_size);
        if (created.status < 0) {
            print("planned: cell_create %s -> %ld (x1 %lu, x2 %lu, x3 %lu)\n", name, created.status,
                  created.x1, created.x2, created.x3);
            give_up("cell_create", created.status);
        }
        ids[i] = created.status;
        if (int64_t r = inmate::cell_load(ids[i], c.load, c.image_address, c.image_size); r != 0)
            give_up("cell_load", r);
        print("planned: %s is cell %ld, image loaded\n", name, ids[i]);
    }
    // Started together once all exist (creating a cell zeroes its RAM, which takes a while).
    for (uint32_t i = 0; i < count; ++i) {
        if (int64_t r = inmate::cell_start(ids[i]); r != 0)
            give_up("cell_start", r);
    }
    print("planned: %u cells started\n", count);
    for (uint32_t i = 0; i < table.link_count && i < max_links; ++i) {
        char name[32];
        for (unsigned k = 0; k < sizeof name; ++k)
            name[k] = table.links[i][k];
        name[sizeof name - 1] = '\0';
        ping_on(name);
    }

    // Every cell with a watchdog runs the rt demo, which stops beating: wait for each kill.
    for (uint32_t i = 0; i < count; ++i) {
        const volatile StagedCell& c = table.cells[i];
        if (c.watchdog_ms == 0)
            continue;
        if (!wait_while(ids[i], hc::CellState::running, 5000))
            give_up("waiting for the watchdog", inmate::cell_get_state(ids[i]).status);
        inmate::delay_us(1000); // the notification follows the state change
        const inmate::Reply s = inmate::cell_get_state(ids[i]);
        print("planned: %s is %s, reason %s (watchdog %lu ms), %lu notifications\n",
              const_cast<const char*>(c.name), inmate::state_name(s.status),
              inmate::reason_name(s.x2), c.watchdog_ms, g_notifications);
    }
    // The others go on after the kill.
    inmate::delay_us(50000);
    for (uint32_t i = 0; i < count; ++i) {
        const volatile StagedCell& c = table.cells[i];
        if (c.watchdog_ms != 0)
            continue;
        const inmate::Reply s = inmate::cell_get_state(ids[i]);
        print("planned: %s is %s after the watchdog kill\n", const_cast<const char*>(c.name),
              inmate::state_name(s.status));
    }
    for (uint32_t i = 0; i < count; ++i) {
        if (int64_t d = inmate::cell_destroy(ids[i]); d != 0)
            give_up("cell_destroy", d);
    }
    print("planned: %u cells destroyed, powering off\n", count);
    inmate::system_off();
}

extern "C" void inmate_secondary_main(uint64_t) {
    inmate::cpu_off();
}
