#include "core/monitor/monitor.hpp"

namespace hv::monitor {

uint64_t Monitor::ticks_of_ms(uint64_t ms) const {
    const uint64_t hz = platform_.frequency();
    return ms / 1000 * hz + ms % 1000 * hz / 1000;
}

uint64_t Monitor::us_of_ticks(uint64_t ticks) const {
    const uint64_t hz = platform_.frequency();
    if (hz == 0)
        return 0;
    return ticks / hz * 1000000 + ticks % hz * 1000000 / hz;
}

void Monitor::attach(unsigned slot, uint64_t phys, uint32_t watchdog_ms) {
    if (slot >= cells::cell_limit)
        return;
    Watch& w = watch_[slot];
    w = Watch();
    w.attached = true;
    w.phys = phys;
    w.watchdog_ms = watchdog_ms;
    w.area.magic = comm::magic;
    w.area.abi_major = comm::abi_major;
    w.area.abi_minor = comm::abi_minor;
    w.area.cell_state = uint32_t(comm::CellState::created);
    w.area.tick_ms = comm::hypervisor_tick_ms;
    w.area.watchdog_ms = watchdog_ms;
    platform_.publish(phys, w.area);
}

void Monitor::detach(unsigned slot) {
    if (slot < cells::cell_limit)
        watch_[slot] = Watch();
}

void Monitor::started(unsigned slot) {
    if (!attached(slot))
        return;
    Watch& w = watch_[slot];
    platform_.clear_cell_area(w.phys);
    w.area.cell_state = uint32_t(comm::CellState::running);
    w.area.failure_reason = uint32_t(comm::FailureReason::none);
    w.area.message = uint32_t(comm::Message::none);
    w.area.message_timeout_ms = 0;
    // message_seq keeps counting across restarts: a reply left from an earlier run (the cell
    // area was just cleared anyway) can never match a new message.
    platform_.publish(w.phys, w.area);
    w.running = true;
    w.heartbeat = 0;
    w.changed_at = platform_.now();
    w.pending = false;
}

void Monitor::stopped(unsigned slot, comm::CellState state, comm::FailureReason reason) {
    if (!attached(slot))
        return;
    Watch& w = watch_[slot];
    w.running = false;
    w.pending = false;
    w.area.cell_state = uint32_t(state);
    w.area.failure_reason = uint32_t(reason);
    w.area.message = uint32_t(comm::Message::none);
    w.area.message_timeout_ms = 0;
    platform_.publish(w.phys, w.area);
}

Request Monitor::request_shutdown(unsigned slot) {
    Request r;
    if (!running(slot))
        return r;
    Watch& w = watch_[slot];
    r.timeout_ms = message_timeout_ms(w);
    if (w.pending) {
        r.seq = w.area.message_seq;
        r.already_pending = true;
        return r;
    }
    w.area.message = uint32_t(comm::Message::shutdown_request);
    w.area.message_timeout_ms = r.timeout_ms;
    w.area.message_seq += 1;
    platform_.publish(w.phys, w.area);
    w.pending = true;
    w.posted_at = platform_.now();
    r.seq = w.area.message_seq;
    return r;
}

unsigned Monitor::tick(Event* out, unsigned capacity) {
    const uint64_t now = platform_.now();
    unsigned count = 0;
    for (unsigned slot = 0; slot < cells::cell_limit && count < capacity; ++slot) {
        Watch& w = watch_[slot];
        if (!w.attached || !w.running)
            continue;
        comm::CellArea cell{};
        platform_.read_cell_area(w.phys, cell);
        Event e;
        e.slot = slot;
        // A reply first: a cell that acknowledged and then stopped beating is shut down, not
        // killed.
        if (w.pending) {
            e.seq = w.area.message_seq;
            e.timeout_ms = message_timeout_ms(w);
            e.age_ticks = now - w.posted_at;
            if (cell.reply_seq == w.area.message_seq &&
                (cell.reply == uint32_t(comm::Reply::acknowledge) ||
                 cell.reply == uint32_t(comm::Reply::deny))) {
                w.pending = false;
                if (cell.reply == uint32_t(comm::Reply::acknowledge)) {
                    e.kind = EventKind::acknowledged;
                    w.running = false;
                } else {
                    e.kind = EventKind::denied;
                    w.area.message = uint32_t(comm::Message::none);
                    w.area.message_timeout_ms = 0;
                    platform_.publish(w.phys, w.area);
                }
                out[count++] = e;
                continue;
            }
            if (e.age_ticks >= ticks_of_ms(e.timeout_ms)) {
                w.pending = false;
                w.running = false;
                e.kind = EventKind::no_reply;
                out[count++] = e;
                continue;
            }
        }
        if (w.watchdog_ms == 0)
            continue;
        if (cell.heartbeat != w.heartbeat) {
            w.heartbeat = cell.heartbeat;
            w.changed_at = now;
            continue;
        }
        if (now - w.changed_at >= ticks_of_ms(w.watchdog_ms)) {
            w.running = false;
            w.pending = false;
            e.kind = EventKind::watchdog_expired;
            e.heartbeat = w.heartbeat;
            e.age_ticks = now - w.changed_at;
            e.timeout_ms = w.watchdog_ms;
            e.seq = 0;
            out[count++] = e;
        }
    }
    return count;
}

} // namespace hv::monitor
