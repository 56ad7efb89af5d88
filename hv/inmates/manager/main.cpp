// manager: the root cell's cell manager. It makes cells out of the blobs confgen compiled from
// examples/hv/cells.yaml and the inmate images QEMU's loader put into the root's staging memory
// (addresses in examples/hv/manager.yaml), using the lifecycle hypercalls:
//   1. a corrupted copy of hello's blob is refused, with the verifier's reason;
//   2. hello and rogue are created, loaded and started; rogue's stray access stops it, and the
//      hypervisor's fault record (fault_read) counts it for rogue, none for hello;
//   3. hello keeps running, is shut down and destroyed; its memory is back and reads zero;
//   4. hello is created and started again and finds its memory zeroed; everything is destroyed
//      and the machine powered off. The system tests (tests/system) expect these lines.
#include "inmates/lib/cell_names.hpp"
#include "inmates/lib/hypercalls.hpp"
#include "inmates/lib/inmate.hpp"

namespace {

using inmate::print;
namespace hc = jailconf::hypercall;

constexpr uint64_t hello_blob = 0x50000000;
constexpr uint64_t rogue_blob = 0x50010000;
constexpr uint64_t hello_image = 0x50100000;
constexpr uint64_t rogue_image = 0x50200000;
constexpr uint64_t image_max = 0x10000;     // the manager copies this much of each image
constexpr uint64_t cell_entry = 0x48000000; // where both cells' images run (cells.yaml)
constexpr uint64_t scratch = 0x48f00000;    // in the manager's own RAM
constexpr uint64_t hello_phys = 0x60000000; // hello's RAM, back in the root after destroy
constexpr uint64_t cell_ram = 0x200000;

[[noreturn]] void give_up(const char* what, int64_t status) {
    print("manager: FAILED: %s -> %ld\n", what, status);
    inmate::system_off();
}

int64_t create_load_start(const char* name, uint64_t blob, uint64_t image) {
    const inmate::Reply created = inmate::cell_create(blob, inmate::descriptor_size(blob));
    if (created.status < 0)
        give_up("cell_create", created.status);
    const int64_t id = created.status;
    const int64_t loaded = inmate::cell_load(id, cell_entry, image, image_max);
    if (loaded != 0)
        give_up("cell_load", loaded);
    const int64_t started = inmate::cell_start(id);
    if (started != 0)
        give_up("cell_start", started);
    print("manager: %s is cell %ld, %s\n", name, id,
          inmate::state_name(inmate::cell_get_state(id).status));
    return id;
}

// Polls until cell `id` is in `wanted`, for at most `timeout_ms`.
bool wait_for_state(int64_t id, hc::CellState wanted, unsigned timeout_ms) {
    for (unsigned ms = 0; ms < timeout_ms; ++ms) {
        if (inmate::cell_get_state(id).status == int64_t(wanted))
            return true;
        inmate::delay_us(1000);
    }
    return false;
}

void refuse_corrupted_blob() {
    const uint32_t size = inmate::descriptor_size(hello_blob);
    auto* copy = reinterpret_cast<volatile uint8_t*>(scratch);
    const auto* original = reinterpret_cast<const volatile uint8_t*>(hello_blob);
    for (uint32_t i = 0; i < size; ++i)
        copy[i] = original[i];
    copy[0x40] = uint8_t(
        copy[0x40] ^ 0xff); // the first section table entry: the payload checksum no longer holds
    const inmate::Reply r = inmate::cell_create(scratch, size);
    print("manager: corrupted descriptor -> %ld, verifier error %lu at offset 0x%lx\n", r.status,
          r.x1, r.x2);
}

bool memory_reads_zero(uint64_t base, uint64_t size) {
    const auto* words = reinterpret_cast<const volatile uint64_t*>(base);
    for (uint64_t i = 0; i < size / 8; ++i) {
        if (words[i] != 0)
            return false;
    }
    return true;
}

// The hypervisor's fault record of a cell (fault_read, ABI 1.2).
void report_faults(const char* name, int64_t id) {
    hc::FaultReport r{};
    const inmate::Reply reply = inmate::fault_read(uint64_t(id), r);
    if (reply.status < 0) {
        print("manager: fault_read %s -> %ld\n", name, reply.status);
        return;
    }
    using K = hc::FaultKind;
    print("manager: %s faults: %u (data %u, instruction %u, register %u, serror %u, other %u)\n",
          name, r.total, r.counts[uint32_t(K::data_abort)],
          r.counts[uint32_t(K::instruction_abort)], r.counts[uint32_t(K::forbidden_register)],
          r.counts[uint32_t(K::serror)], r.counts[uint32_t(K::other)]);
    if (r.last_kind != uint32_t(K::none))
        print("manager: %s last fault: kind %u, cpu %u, address 0x%lx, in '%s'\n", name,
              r.last_kind, r.last_cpu, r.last_address, r.last_device);
}

} // namespace

extern "C" void inmate_main(uint64_t) {
    const int64_t version = inmate::hv_version();
    print("manager: hypercall ABI %ld.%ld, cell %ld\n", version >> 16, version & 0xffff,
          inmate::cell_self());
    refuse_corrupted_blob();

    const int64_t hello = create_load_start("hello", hello_blob, hello_image);
    const int64_t rogue = create_load_start("rogue", rogue_blob, rogue_image);
    if (!wait_for_state(rogue, hc::CellState::failed, 2000))
        give_up("waiting for rogue to fail", inmate::cell_get_state(rogue).status);
    print("manager: rogue is %s\n", inmate::state_name(inmate::cell_get_state(rogue).status));
    report_faults("rogue", rogue);
    report_faults("hello", hello);
    inmate::delay_us(100000); // hello goes on ticking meanwhile
    print("manager: hello is %s after rogue's fault\n",
          inmate::state_name(inmate::cell_get_state(hello).status));

    int64_t r = inmate::cell_shutdown(hello);
    print("manager: shutdown hello -> %ld, %s\n", r,
          inmate::state_name(inmate::cell_get_state(hello).status));
    r = inmate::cell_destroy(hello);
    print("manager: destroy hello -> %ld, %s\n", r,
          inmate::state_name(inmate::cell_get_state(hello).status));
    print("manager: hello's 2 MiB are back in the root and %s\n",
          memory_reads_zero(hello_phys, cell_ram) ? "read zero" : "DO NOT READ ZERO");

    const int64_t again = create_load_start("hello", hello_blob, hello_image);
    inmate::delay_us(250000); // time for hello to check its memory and tick
    print("manager: hello is %s again\n", inmate::state_name(inmate::cell_get_state(again).status));
    r = inmate::cell_destroy(again);
    print("manager: destroy hello -> %ld\n", r);
    r = inmate::cell_destroy(rogue);
    print("manager: destroy rogue -> %ld\n", r);
    print("manager: done, powering off\n");
    inmate::system_off();
}

extern "C" void inmate_secondary_main(uint64_t) {
    inmate::cpu_off();
}
