// attest: a root cell (examples/hv/manager.yaml) that reads the hypervisor's measurements
// (docs/measurements.md). It checks it runs under Jailconf, creates the hello cell from the blob
// QEMU's loader put into its staging memory and loads hello's image into it (both measured),
// prints every entry of the measurement log as one line
//   m <seq> <kind> <cell> <address> <size> <sha256>
// which tests/system/check_measurements.py compares with hashlib over the same files, then waits
// for passes of the hypervisor's integrity check and prints what they found (a system test
// changes a byte of hypervisor text from QEMU's gdbstub while it waits).
#include "inmates/lib/hypercalls.hpp"
#include "inmates/lib/inmate.hpp"
#include "inmates/lib/presence.hpp"
#include "jailconf/measurement.hpp"

namespace {

using inmate::print;
namespace hc = jailconf::hypercall;
namespace jm = jailconf::measure;

constexpr uint64_t hello_blob = 0x50000000;
constexpr uint64_t hello_image = 0x50100000;
constexpr uint64_t image_max = 0x10000;     // bytes copied: the image and zeros after it
constexpr uint64_t cell_entry = 0x48000000; // hello's entry (examples/hv/cells.yaml)
constexpr uint64_t buffer = 0x48f00000;     // in the root's own RAM: 4 KiB = 64 entries
constexpr uint64_t buffer_size = 4096;
constexpr uint64_t passes_to_watch = 4; // a change made while waiting shows within two passes

[[noreturn]] void give_up(const char* what, int64_t status) {
    print("attest: FAILED: %s -> %ld\n", what, status);
    inmate::system_off();
}

// The log, 64 entries per measurement_read.
void print_log() {
    const inmate::Reply info = inmate::measurement_info();
    if (info.status < 0)
        give_up("measurement_info", info.status);
    print("attest: log holds %ld of %lu measurements (capacity %lu, %lu bytes each)\n", info.status,
          info.x1, info.x2, info.x3);
    const auto* e = reinterpret_cast<const volatile jm::Entry*>(uintptr_t(buffer));
    uint64_t first = 0;
    for (;;) {
        const inmate::Reply r = inmate::measurement_read(first, buffer, buffer_size);
        if (r.status < 0)
            give_up("measurement_read", r.status);
        if (r.status == 0)
            break;
        for (int64_t i = 0; i < r.status; ++i) {
            const jm::Entry entry = const_cast<const jm::Entry&>(e[i]);
            char hex[2 * jm::digest_size + 1];
            for (unsigned k = 0; k < jm::digest_size; ++k) {
                hex[2 * k] = "0123456789abcdef"[entry.digest[k] >> 4];
                hex[2 * k + 1] = "0123456789abcdef"[entry.digest[k] & 15];
            }
            hex[2 * jm::digest_size] = '\0';
            print("m %lu %u %u 0x%lx %lu %s\n", entry.seq.get(), entry.kind.get(), entry.cell.get(),
                  entry.address.get(), entry.size.get(), hex);
        }
        first += uint64_t(r.status);
    }
}

} // namespace

extern "C" void inmate_main(uint64_t) {
    const inmate::PresenceReport presence = inmate::detect_hypervisor();
    print("attest: %s (ABI 0x%lx)\n", inmate::presence_text(presence.presence), presence.detail);

    const inmate::Reply created =
        inmate::cell_create(hello_blob, inmate::descriptor_size(hello_blob));
    if (created.status < 0)
        give_up("cell_create", created.status);
    if (int64_t r = inmate::cell_load(created.status, cell_entry, hello_image, image_max); r != 0)
        give_up("cell_load", r);
    print("attest: cell %ld created from 0x%lx (%u bytes), 0x%lx bytes loaded from 0x%lx\n",
          created.status, hello_blob, inmate::descriptor_size(hello_blob), image_max, hello_image);
    print_log();

    // Refusals: a buffer in hypervisor memory, and one too small for an entry.
    print("attest: read into hypervisor memory -> %ld, into 32 bytes -> %ld\n",
          inmate::measurement_read(0, 0x7c000000, buffer_size).status,
          inmate::measurement_read(0, buffer, 32).status);

    inmate::Reply s = inmate::integrity_status();
    const uint64_t start = s.x1;
    print("attest: integrity: %s, %lu passes so far; waiting for %lu more\n",
          s.status == 0 ? "intact" : "CHANGED", s.x1, passes_to_watch);
    while (s.status == int64_t(jm::IntegrityState::intact) && s.x1 < start + passes_to_watch) {
        inmate::delay_us(10000);
        s = inmate::integrity_status();
    }
    print("attest: integrity: %s after %lu passes (%lu found a change), longest step %lu counter "
          "ticks\n",
          s.status == 0 ? "intact" : "CHANGED", s.x1, s.x2, s.x3);
    if (s.status != 0)
        print_log();

    if (int64_t r = inmate::cell_destroy(created.status); r != 0)
        give_up("cell_destroy", r);
    print("attest: done\n");
    inmate::system_off();
}

extern "C" void inmate_secondary_main(uint64_t) {
    inmate::cpu_off();
}
