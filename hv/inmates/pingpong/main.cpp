// pingpong: the link demo and benchmark (examples/hv/links.yaml, docs/links.md). One image, two
// roles. As the root cell it owns link `ping` (peer 0), creates the cell `pong` from the blob
// QEMU staged at 0x50000000, loads this same image into it (from 0x50100000) and starts it; then
// it pings: round trips of checked messages, each way through a queue in the link announced by
// the doorbell; a stream of messages to measure the queue's throughput; the responder's latest
// count through a sampling port. Finally it destroys pong and checks that the link memory, which
// no other cell uses any more, was zeroed. As `pong` (peer 1) it answers. tests/system and
// bench/hv_bench.py read the lines.
#include "inmates/lib/cell_names.hpp"
#include "inmates/lib/gic.hpp"
#include "inmates/lib/hypercalls.hpp"
#include "inmates/lib/inmate.hpp"
#include "inmates/lib/pingpong.hpp"

namespace {

using inmate::print;
namespace gic = inmate::gic;
namespace pp = inmate::pingpong;

constexpr uint64_t blob_address = 0x50000000;
constexpr uint64_t image_address = 0x50100000;
constexpr uint64_t image_size = 0x40000; // the staging slot (the image is smaller)
constexpr uint64_t load_address = 0x48000000;
constexpr uint64_t warm_up = 10; // not measured: pong may still be starting
constexpr uint64_t rounds = 100;
constexpr uint32_t message = 64;
constexpr uint64_t stream_count = 2000;

void handler(uint32_t intid) {
    inmate::link_doorbell_handler(intid);
}

[[noreturn]] void give_up(const char* who, const char* what, int64_t status) {
    print("%s: FAILED: %s -> %ld\n", who, what, status);
    inmate::system_off();
}

void start_gic(const char* who) {
    gic::set_handler(handler);
    if (!gic::init_cpu())
        give_up(who, "gic init", -1);
    gic::irqs_on();
}

// Thousandths as "N.NNN" without floating point.
void print_per_round(const char* who, const char* what, uint64_t ticks, uint64_t count) {
    const uint64_t milli = count == 0 ? 0 : ticks * 1000 / count;
    print("%s: %s %lu.%03lu counter ticks\n", who, what, milli / 1000, milli % 1000);
}

bool link_reads_zero(const inmate::Link& link) {
    const auto* words = reinterpret_cast<const volatile uint64_t*>(link.address);
    for (uint64_t i = 0; i < link.size / 8; ++i) {
        if (words[i] != 0)
            return false;
    }
    return true;
}

void root() {
    const char* who = "ping";
    start_gic(who);
    pp::Endpoint e;
    if (!pp::open(e, "ping", who))
        give_up(who, "open link ping", -1);
    print("%s: link_ring of link 7 (none) -> %ld\n", who,
          inmate::hypercall(uint32_t(inmate::hc::Function::link_ring), 7).status);

    const inmate::Reply created =
        inmate::cell_create(blob_address, inmate::descriptor_size(blob_address));
    if (created.status < 0) {
        print("%s: cell_create -> %ld (x1 %lu, x2 %lu, x3 %lu)\n", who, created.status, created.x1,
              created.x2, created.x3);
        give_up(who, "cell_create", created.status);
    }
    const int64_t id = created.status;
    if (const int64_t r = inmate::cell_load(id, load_address, image_address, image_size); r != 0)
        give_up(who, "cell_load", r);
    if (const int64_t r = inmate::cell_start(id); r != 0)
        give_up(who, "cell_start", r);

    const pp::Stats warm = pp::ping(e, warm_up, message);
    const pp::Stats st = pp::ping(e, rounds, message, warm_up);
    print(
        "%s: %lu round trips of %u bytes, contents checked both ways, %lu errors, %lu doorbells\n",
        who, warm.rounds + st.rounds, message, warm.errors + st.errors,
        warm.doorbells + st.doorbells);
    print_per_round(who, "round trip via doorbell:", st.ticks, st.rounds);
    print("%s: round trip min %lu max %lu counter ticks\n", who, st.min, st.max);
    const pp::Stats s = pp::stream(e, stream_count, message);
    print("%s: streamed %lu messages of %u bytes, %lu errors, in %lu counter ticks\n", who,
          s.rounds, message, s.errors, s.ticks);
    print_per_round(who, "per streamed message:", s.ticks, s.rounds);
    uint64_t count = 0;
    const ipc::Sample sample = pp::read_count(e, count);
    print("%s: sampling port: %s, pong's count %lu, age %lu ticks, %s\n", who,
          ipc::status_name(sample.status), count, sample.age, sample.valid ? "valid" : "stale");

    inmate::delay_us(5000); // pong prints its summary
    if (const int64_t r = inmate::cell_destroy(id); r != 0)
        give_up(who, "cell_destroy", r);
    print("%s: pong destroyed: link memory %s\n", who,
          link_reads_zero(e.link) ? "reads zero" : "NOT ZERO");
    print("%s: done\n", who);
    inmate::system_off();
}

void responder() {
    const char* who = "pong";
    start_gic(who);
    inmate::Link none;
    print("%s: link_find of link nope -> %ld\n", who, inmate::link_find("nope", none));
    pp::Endpoint e;
    if (!pp::open(e, "ping", who))
        give_up(who, "open link ping", -1);
    const pp::Stats st = pp::pong(e, warm_up + rounds, 1000000);
    print("%s: answered %lu pings, contents checked, %lu errors, %lu doorbells\n", who, st.rounds,
          st.errors, st.doorbells);
    const pp::Stats s = pp::drain(e, stream_count, message);
    print("%s: drained %lu messages, contents checked, %lu errors\n", who, s.rounds, s.errors);
    for (;;)
        __asm__ volatile("wfi");
}

} // namespace

extern "C" void inmate_main(uint64_t) {
    const int64_t version = inmate::hv_version();
    const int64_t self = inmate::cell_self();
    print("pingpong: hypercall ABI %ld.%ld, cell %ld\n", version >> 16, version & 0xffff, self);
    if (self == 0)
        root();
    else
        responder();
}

extern "C" void inmate_secondary_main(uint64_t) {
    inmate::cpu_off();
}
