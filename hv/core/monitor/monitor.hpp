// The hypervisor's watch over its cells' communication regions (jailconf/comm_region.hpp,
// docs/comm-region.md): it initialises a cell's region at create and start, publishes its final
// state, posts shutdown requests, and on every tick reads each running cell's heartbeat and reply
// and decides what has to happen: a watchdog that expired, a message left unanswered past its
// timeout, a shutdown acknowledged or denied. It only decides; the lifecycle (lifecycle.hpp)
// stops the cells. Arch-neutral and host-tested (tests/unit/hv_monitor_test.cpp): the memory
// and the clock come through a MonitorPlatform.
#pragma once

#include <stdint.h>

#include "core/cells/ownership.hpp"
#include "jailconf/comm_region.hpp"

namespace hv::monitor {

namespace comm = jailconf::comm;

// The message timeout of a cell without a watchdog (with one, its watchdog timeout is used).
inline constexpr uint32_t default_message_timeout_ms = 500;

class MonitorPlatform {
  public:
    // Writes the hypervisor area of the region at `phys` so that a cell reading it uncached sees
    // it; message_seq becomes visible last.
    virtual void publish(uint64_t phys, const comm::HypervisorArea& area) = 0;
    // Reads the cell area as the cell last wrote it (no stale cached copy).
    virtual void read_cell_area(uint64_t phys, comm::CellArea& out) = 0;
    // Zeroes the cell area (before the cell starts).
    virtual void clear_cell_area(uint64_t phys) = 0;
    // The free-running counter and its frequency.
    virtual uint64_t now() const = 0;
    virtual uint64_t frequency() const = 0;

  protected:
    ~MonitorPlatform() = default;
};

enum class EventKind : uint8_t {
    watchdog_expired, // kill: reason watchdog
    no_reply,         // kill: reason no_reply
    acknowledged,     // stop cleanly
    denied,           // nothing to do; the cell goes on
};

struct Event {
    unsigned slot = 0;
    EventKind kind = EventKind::denied;
    uint64_t heartbeat = 0;  // the value that stopped changing (watchdog_expired)
    uint64_t age_ticks = 0;  // since the heartbeat last changed, or since the message was posted
    uint32_t timeout_ms = 0; // the timeout that applied
    uint64_t seq = 0;        // the message (no_reply, acknowledged, denied)
};

// What a shutdown request did.
struct Request {
    uint64_t seq = 0;
    uint32_t timeout_ms = 0;
    bool already_pending = false; // an earlier request is still waiting for its reply
};

class Monitor {
  public:
    explicit Monitor(MonitorPlatform& platform) : platform_(platform) {}

    // create: cell `slot` has its comm region at physical `phys` (already zeroed) and a watchdog
    // of `watchdog_ms` (0 = none). Initialises the hypervisor area: magic, version, created.
    void attach(unsigned slot, uint64_t phys, uint32_t watchdog_ms);
    // destroy: no more watching, nothing written (the region is zeroed with the cell's memory).
    void detach(unsigned slot);
    bool attached(unsigned slot) const { return slot < cells::cell_limit && watch_[slot].attached; }
    // Whether the monitor still treats the cell as running (it has not published a stop).
    bool running(unsigned slot) const { return attached(slot) && watch_[slot].running; }

    // start: the cell area is cleared, the state says running, no message; the watchdog starts
    // counting now.
    void started(unsigned slot);
    // The cell stopped (whoever decided it): publishes `state` and `reason`, stops watching.
    void stopped(unsigned slot, comm::CellState state, comm::FailureReason reason);

    // Posts a shutdown request to running cell `slot` (or reports the one still pending).
    Request request_shutdown(unsigned slot);

    // One tick: examines every running attached cell; writes up to `capacity` events to `out`
    // and returns how many. A cell with an event of a stopping kind is no longer treated as
    // running; the caller must stop it and then call stopped().
    unsigned tick(Event* out, unsigned capacity);

    uint64_t now() const { return platform_.now(); }
    uint64_t ticks_of_ms(uint64_t ms) const;
    uint64_t us_of_ticks(uint64_t ticks) const;
    // The comm state the hypervisor last published for `slot` (for tests and reports).
    const comm::HypervisorArea& area(unsigned slot) const { return watch_[slot].area; }

  private:
    struct Watch {
        bool attached = false;
        bool running = false;
        uint64_t phys = 0;
        uint32_t watchdog_ms = 0;
        comm::HypervisorArea area{};
        uint64_t heartbeat = 0;
        uint64_t changed_at = 0; // counter when the heartbeat was last seen to change
        bool pending = false;    // a message waits for its reply
        uint64_t posted_at = 0;
    };
    uint32_t message_timeout_ms(const Watch& w) const {
        return w.watchdog_ms != 0 ? w.watchdog_ms : default_message_timeout_ms;
    }

    MonitorPlatform& platform_;
    Watch watch_[cells::cell_limit];
};

} // namespace hv::monitor
