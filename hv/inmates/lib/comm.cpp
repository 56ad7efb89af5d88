#include "inmates/lib/comm.hpp"

namespace inmate::comm {
namespace {

volatile abi::Region* g_region = nullptr;
uint64_t g_answered = 0; // the last message_seq replied to

void barrier() {
    __asm__ volatile("dmb ish" ::: "memory");
}

} // namespace

bool attach(uint64_t address) {
    auto* r = reinterpret_cast<volatile abi::Region*>(uintptr_t(address));
    if (address == 0 || r->hypervisor.magic != abi::magic ||
        r->hypervisor.abi_major != abi::abi_major)
        return false;
    g_region = r;
    g_answered = r->cell.reply_seq;
    return true;
}

uint64_t beat() {
    const uint64_t next = g_region->cell.heartbeat + 1;
    g_region->cell.heartbeat = next;
    return next;
}

abi::CellState state() {
    return abi::CellState(g_region->hypervisor.cell_state);
}
uint32_t tick_ms() {
    return g_region->hypervisor.tick_ms;
}
uint32_t watchdog_ms() {
    return g_region->hypervisor.watchdog_ms;
}

bool poll(Message& out) {
    const uint64_t seq = g_region->hypervisor.message_seq;
    if (seq == g_answered)
        return false;
    barrier(); // the message fields were written before message_seq
    out.seq = seq;
    out.kind = abi::Message(g_region->hypervisor.message);
    out.timeout_ms = g_region->hypervisor.message_timeout_ms;
    return out.kind != abi::Message::none;
}

void reply(const Message& m, abi::Reply answer) {
    g_region->cell.reply = uint32_t(answer);
    barrier(); // the reply is visible before its sequence number
    g_region->cell.reply_seq = m.seq;
    g_answered = m.seq;
}

} // namespace inmate::comm
