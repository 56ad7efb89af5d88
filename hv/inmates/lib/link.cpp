#include "link.hpp"

#include "gic.hpp"
#include "hypercalls.hpp"
#include "inmate.hpp"

namespace inmate {
namespace {
uint32_t g_doorbell_intid = 0; // the link whose doorbell link_doorbell_handler counts
volatile uint64_t g_doorbells = 0;
} // namespace

int64_t link_find(const char* name, Link& out) {
    size_t length = 0;
    while (name[length] != '\0')
        ++length;
    if (length == 0 || length > hc::link_name_max)
        return int64_t(hc::Status::invalid_argument);
    uint64_t words[6] = {};
    for (size_t i = 0; i < length; ++i)
        words[i / 8] |= uint64_t(uint8_t(name[i])) << (8 * (i % 8));
    const Reply r = hypercall(uint32_t(hc::Function::link_find), length, words[0], words[1],
                              words[2], words[3], words[4], words[5]);
    if (r.status < 0)
        return r.status;
    out.id = uint64_t(r.status);
    out.address = r.x1;
    out.size = r.x2;
    out.peer_index = unsigned(r.x3 & 0xff);
    out.peer_count = unsigned(r.x3 >> 8 & 0xff);
    out.doorbell = uint32_t(r.x3 >> 16 & 0xffff);
    return 0;
}

int64_t link_ring(const Link& link) {
    return hypercall(uint32_t(hc::Function::link_ring), link.id).status;
}

void link_enable_doorbell(const Link& link) {
    if (link.doorbell == 0)
        return;
    g_doorbell_intid = link.doorbell;
    gic::set_priority(link.doorbell, 0x80);
    gic::enable(link.doorbell);
}

bool link_doorbell_handler(uint32_t intid) {
    if (intid != g_doorbell_intid || intid == 0)
        return false;
    g_doorbells = g_doorbells + 1;
    return true;
}

uint64_t link_doorbells_seen() {
    return g_doorbells;
}

uint64_t link_wait_doorbell(uint64_t seen, uint64_t timeout_us) {
    const uint64_t start = counter();
    const uint64_t ticks = timeout_us * (counter_frequency() / 1000000);
    while (g_doorbells == seen) {
        if (counter() - start > ticks)
            return seen;
        // An interrupt between the check and WFI still wakes it (WFI returns on a pending IRQ).
        __asm__ volatile("wfi" ::: "memory");
    }
    return g_doorbells;
}

} // namespace inmate
