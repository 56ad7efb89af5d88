// hcfuzz: a root cell that fires pseudo-random hypercalls at the hypervisor (a bounded run):
// random function ids in and around the hypercall range, and arguments mixing interesting
// values (addresses in and just outside its own memory, the hypervisor's memory, devices, sizes
// at the limits, wrapping ranges) with raw random bits, interleaved with well-formed creates of
// real cells so the deeper paths (load, start, shutdown, destroy of live cells) run too. Every
// answer must be a known status; at the end every cell is destroyed and the hypervisor must
// still answer. tests/system expects the summary line.
#include "inmates/lib/hypercalls.hpp"
#include "inmates/lib/inmate.hpp"

namespace {

using inmate::print;
namespace hc = jailconf::hypercall;

constexpr unsigned calls = 4000;
constexpr uint64_t hello_blob = 0x50000000; // examples/hv/manager.yaml staging layout
constexpr uint64_t rogue_blob = 0x50010000;
constexpr uint64_t hello_image = 0x50100000;

uint64_t g_state = 0x9e3779b97f4a7c15;
uint64_t next() { // xorshift64
    g_state ^= g_state << 13;
    g_state ^= g_state >> 7;
    g_state ^= g_state << 17;
    return g_state;
}

constexpr uint64_t interesting[] = {0,
                                    1,
                                    7,
                                    8,
                                    0xfff,
                                    0x1000,
                                    0x48000000,
                                    0x48ffffff,
                                    0x49000000,
                                    0x50000000,
                                    0x50010000,
                                    0x50100000,
                                    0x51000000,
                                    0x60000000,
                                    0x601ff000,
                                    0x61fff000,
                                    0x62000000,
                                    0x7c000000,
                                    0x7f000000,
                                    0x08000000,
                                    0x09000000,
                                    216,
                                    192,
                                    16384,
                                    16385,
                                    1ull << 26,
                                    (1ull << 26) + 1,
                                    ~0ull,
                                    ~0ull - 0xfff,
                                    1ull << 39,
                                    1ull << 63};
constexpr unsigned interesting_count = sizeof(interesting) / sizeof(interesting[0]);

uint64_t argument() {
    const uint64_t r = next();
    switch (r % 5) {
    case 0:
    case 1:
        return interesting[(r >> 8) % interesting_count];
    case 2:
        return interesting[(r >> 8) % interesting_count] + ((r >> 32) % 0x4000) - 0x2000;
    case 3:
        return (r >> 16) % 10; // cell ids and small sizes
    default:
        return next();
    }
}

constexpr hc::Function functions[] = {
    hc::Function::version,        hc::Function::console_write, hc::Function::cell_self,
    hc::Function::cell_get_state, hc::Function::cell_create,   hc::Function::cell_load,
    hc::Function::cell_start,     hc::Function::cell_shutdown, hc::Function::cell_destroy};
constexpr unsigned function_count = sizeof(functions) / sizeof(functions[0]);

uint32_t function() {
    const uint64_t r = next();
    if (r % 8 != 0)
        return uint32_t(functions[(r >> 8) % function_count]);
    // An unknown number in the range, or any id outside the standard secure service range
    // (PSCI, which could power the machine off).
    uint32_t id = r % 16 == 0 ? uint32_t(next()) : hc::function_id(uint16_t(r >> 16));
    if (((id >> 24) & 0x3f) == 4)
        id ^= 1u << 24;
    return id;
}

} // namespace

extern "C" void inmate_main(uint64_t) {
    print("hcfuzz: %u random hypercalls\n", calls);
    unsigned accepted = 0, refused = 0, unexpected = 0, cells_made = 0;
    for (unsigned i = 0; i < calls; ++i) {
        const uint64_t choice = next() % 16;
        inmate::Reply r;
        if (choice == 0) {
            r = inmate::cell_create(hello_blob, inmate::descriptor_size(hello_blob));
            cells_made += r.status > 0;
        } else if (choice == 1) {
            r = inmate::cell_create(rogue_blob, inmate::descriptor_size(rogue_blob));
            cells_made += r.status > 0;
        } else if (choice == 2) {
            r.status = inmate::cell_load(next() % 4, 0x48000000, hello_image, 0x10000);
        } else {
            uint32_t f = function();
            uint64_t a1 = argument();
            if (f == uint32_t(hc::Function::console_write) && a1 <= hc::console_write_max)
                a1 = 0; // keep the console readable: random text is tested in the unit tests
            r = inmate::hypercall(f, a1, argument(), argument(), argument(), argument(), argument(),
                                  argument());
        }
        if (r.status >= 0)
            ++accepted;
        else if (r.status >= int64_t(hc::Status::busy))
            ++refused;
        else
            ++unexpected;
    }
    unsigned left = 0;
    for (uint64_t id = 1; id < 8; ++id) {
        if (inmate::cell_get_state(id).status != int64_t(hc::CellState::absent)) {
            inmate::cell_destroy(id);
            left += inmate::cell_get_state(id).status != int64_t(hc::CellState::absent);
        }
    }
    // The root owns everything again: a real cell can be made and destroyed.
    const inmate::Reply last = inmate::cell_create(hello_blob, inmate::descriptor_size(hello_blob));
    const int64_t destroyed = last.status > 0 ? inmate::cell_destroy(last.status) : last.status;
    print("hcfuzz: %u calls: %u accepted, %u refused, %u unexpected; %u cells made; %u left; "
          "final create -> %ld, destroy -> %ld\n",
          calls, accepted, refused, unexpected, cells_made, left, last.status, destroyed);
    if (unexpected == 0 && left == 0 && last.status > 0 && destroyed == 0)
        print("hcfuzz: hypervisor alive, ABI %lx\n", inmate::hv_version());
    inmate::system_off();
}

extern "C" void inmate_secondary_main(uint64_t) {
    inmate::cpu_off();
}
