// hv/core/monitor: the watchdog and message state machine over a cell's communication region,
// with a fake platform (regions as plain pages, a clock the test moves). The clock runs at
// 62.5 MHz like QEMU virt's counter; the test ticks every 10 ms as the hypervisor does.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <vector>

#include "core/monitor/monitor.hpp"

namespace {

namespace comm = jailconf::comm;
using hv::monitor::Event;
using hv::monitor::EventKind;
using hv::monitor::Monitor;

constexpr uint64_t hz = 62500000;
constexpr uint64_t ms = hz / 1000;
constexpr uint64_t tick = comm::hypervisor_tick_ms * ms;
constexpr uint64_t region_a = 0x61000000;
constexpr uint64_t region_b = 0x61001000;

class FakeComm final : public hv::monitor::MonitorPlatform {
  public:
    void publish(uint64_t phys, const comm::HypervisorArea& area) override {
        // What a cell polling message_seq could see: the message fields are never newer than
        // the sequence number.
        comm::HypervisorArea& dst = pages[phys].hypervisor;
        comm::HypervisorArea staged = area;
        staged.message_seq = dst.message_seq;
        dst = staged;
        dst.message_seq = area.message_seq;
        ++publishes;
    }
    void read_cell_area(uint64_t phys, comm::CellArea& out) override { out = pages[phys].cell; }
    void clear_cell_area(uint64_t phys) override {
        std::memset(&pages[phys].cell, 0, sizeof(comm::CellArea));
    }
    uint64_t now() const override { return clock; }
    uint64_t frequency() const override { return hz; }

    comm::Region& at(uint64_t phys) { return pages[phys]; }

    std::map<uint64_t, comm::Region> pages;
    uint64_t clock = 1000 * hz; // the counter does not start at 0
    unsigned publishes = 0;
};

// Ticks until an event appears or `limit` ticks passed; `each` runs before every tick (the cell).
template <class F> std::vector<Event> run(Monitor& m, FakeComm& p, unsigned limit, F each) {
    for (unsigned i = 0; i < limit; ++i) {
        p.clock += tick;
        each(i);
        Event events[8];
        const unsigned n = m.tick(events, 8);
        if (n != 0)
            return std::vector<Event>(events, events + n);
    }
    return {};
}

TEST(HvMonitor, AttachAndStartInitialiseTheRegion) {
    FakeComm p;
    Monitor m(p);
    p.at(region_a).cell.heartbeat = 77; // left from before: start clears it
    m.attach(1, region_a, 250);
    const comm::HypervisorArea& a = p.at(region_a).hypervisor;
    EXPECT_EQ(a.magic, comm::magic);
    EXPECT_EQ(a.abi_major, 1u);
    EXPECT_EQ(a.abi_minor, 0u);
    EXPECT_EQ(a.cell_state, uint32_t(comm::CellState::created));
    EXPECT_EQ(a.tick_ms, 10u);
    EXPECT_EQ(a.watchdog_ms, 250u);
    EXPECT_EQ(a.message_seq, 0u);
    EXPECT_FALSE(m.running(1));
    m.started(1);
    EXPECT_TRUE(m.running(1));
    EXPECT_EQ(a.cell_state, uint32_t(comm::CellState::running));
    EXPECT_EQ(p.at(region_a).cell.heartbeat, 0u);
    // Not watched before start: no events for a created cell, however long.
    Monitor idle(p);
    idle.attach(2, region_b, 10);
    EXPECT_TRUE(run(idle, p, 100, [](unsigned) {}).empty());
}

TEST(HvMonitor, WatchdogKillsWithinTimeoutPlusOneTickOfTheLastSeenBeat) {
    for (const uint32_t timeout : {10u, 35u, 100u, 1000u}) {
        FakeComm p;
        Monitor m(p);
        m.attach(1, region_a, timeout);
        m.started(1);
        // Beats every tick for 30 ticks, at an offset inside the tick, then hangs.
        uint64_t last_beat = 0;
        auto cell = [&](unsigned i) {
            if (i < 30) {
                p.at(region_a).cell.heartbeat += 1;
                last_beat = p.clock;
            }
        };
        const std::vector<Event> events = run(m, p, 30 + timeout / 10 + 5, cell);
        ASSERT_EQ(events.size(), 1u) << "timeout " << timeout;
        EXPECT_EQ(events[0].kind, EventKind::watchdog_expired);
        EXPECT_EQ(events[0].heartbeat, 30u);
        EXPECT_EQ(events[0].timeout_ms, timeout);
        EXPECT_GE(events[0].age_ticks, timeout * ms);
        EXPECT_LT(events[0].age_ticks, timeout * ms + tick);
        EXPECT_GE(p.clock - last_beat, timeout * ms);
        EXPECT_FALSE(m.running(1));
        // Decided once: the caller stops the cell.
        Event again[2];
        p.clock += tick;
        EXPECT_EQ(m.tick(again, 2), 0u);
    }
}

TEST(HvMonitor, WatchdogIsArmedAtStartAndAnyChangeIsABeat) {
    FakeComm p;
    Monitor m(p);
    m.attach(1, region_a, 50);
    m.started(1);
    const uint64_t start = p.clock;
    std::vector<Event> events = run(m, p, 20, [](unsigned) {});
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, EventKind::watchdog_expired);
    EXPECT_EQ(p.clock - start, 50 * ms);

    // A counter that goes down or jumps is still a beat; a slow but steady beater survives.
    Monitor m2(p);
    m2.attach(2, region_b, 50);
    m2.started(2);
    const uint64_t values[] = {5, 3, 1000, 0, 9};
    events = run(m2, p, 200, [&](unsigned i) {
        if (i % 4 == 0)
            p.at(region_b).cell.heartbeat = values[(i / 4) % 5];
    });
    EXPECT_TRUE(events.empty());
    EXPECT_TRUE(m2.running(2));
}

TEST(HvMonitor, CellWithoutWatchdogIsNeverKilledForSilence) {
    FakeComm p;
    Monitor m(p);
    m.attach(1, region_a, 0);
    m.started(1);
    EXPECT_TRUE(run(m, p, 500, [](unsigned) {}).empty());
    EXPECT_TRUE(m.running(1));
}

TEST(HvMonitor, AcknowledgedShutdownRequestStopsCleanly) {
    FakeComm p;
    Monitor m(p);
    m.attach(1, region_a, 200);
    m.started(1);
    const hv::monitor::Request r = m.request_shutdown(1);
    EXPECT_EQ(r.seq, 1u);
    EXPECT_EQ(r.timeout_ms, 200u);
    EXPECT_FALSE(r.already_pending);
    comm::Region& page = p.at(region_a);
    EXPECT_EQ(page.hypervisor.message, uint32_t(comm::Message::shutdown_request));
    EXPECT_EQ(page.hypervisor.message_timeout_ms, 200u);
    EXPECT_EQ(page.hypervisor.message_seq, 1u);
    // Asking again while it waits changes nothing.
    const hv::monitor::Request again = m.request_shutdown(1);
    EXPECT_TRUE(again.already_pending);
    EXPECT_EQ(again.seq, 1u);
    EXPECT_EQ(page.hypervisor.message_seq, 1u);

    const std::vector<Event> events = run(m, p, 30, [&](unsigned i) {
        page.cell.heartbeat += 1;
        if (i == 5) {
            page.cell.reply = uint32_t(comm::Reply::acknowledge);
            page.cell.reply_seq = 1;
        }
    });
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, EventKind::acknowledged);
    EXPECT_EQ(events[0].seq, 1u);
    EXPECT_EQ(events[0].age_ticks, 6 * tick);
    EXPECT_FALSE(m.running(1));
    m.stopped(1, comm::CellState::shut_down, comm::FailureReason::none);
    EXPECT_EQ(page.hypervisor.cell_state, uint32_t(comm::CellState::shut_down));
    EXPECT_EQ(page.hypervisor.message, uint32_t(comm::Message::none));
}

TEST(HvMonitor, DeniedRequestLeavesTheCellRunningAndTheNextGetsANewSequence) {
    FakeComm p;
    Monitor m(p);
    m.attach(1, region_a, 0); // no watchdog: the default message timeout applies
    m.started(1);
    comm::Region& page = p.at(region_a);
    EXPECT_EQ(m.request_shutdown(1).timeout_ms, hv::monitor::default_message_timeout_ms);
    page.cell.reply = uint32_t(comm::Reply::deny);
    page.cell.reply_seq = 1;
    std::vector<Event> events = run(m, p, 3, [](unsigned) {});
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, EventKind::denied);
    EXPECT_TRUE(m.running(1));
    EXPECT_EQ(page.hypervisor.message, uint32_t(comm::Message::none));
    // The denial does not count again, and no timeout follows it.
    EXPECT_TRUE(run(m, p, 100, [](unsigned) {}).empty());

    const hv::monitor::Request second = m.request_shutdown(1);
    EXPECT_EQ(second.seq, 2u);
    EXPECT_FALSE(second.already_pending);
    // The old reply (seq 1) does not answer the new message; nothing does: killed.
    events = run(m, p, 100, [](unsigned) {});
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, EventKind::no_reply);
    EXPECT_EQ(events[0].seq, 2u);
    EXPECT_EQ(events[0].age_ticks, hv::monitor::default_message_timeout_ms * ms);
}

TEST(HvMonitor, UnansweredRequestKillsAfterTheTimeoutEvenIfTheCellBeats) {
    FakeComm p;
    Monitor m(p);
    m.attach(1, region_a, 120);
    m.started(1);
    comm::Region& page = p.at(region_a);
    const uint64_t posted = p.clock;
    m.request_shutdown(1);
    // A reply value without the sequence, or with a wrong one, is no answer.
    const std::vector<Event> events = run(m, p, 50, [&](unsigned) {
        page.cell.heartbeat += 1;
        page.cell.reply = uint32_t(comm::Reply::acknowledge);
        page.cell.reply_seq = 7;
    });
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, EventKind::no_reply);
    EXPECT_EQ(events[0].timeout_ms, 120u);
    EXPECT_GE(p.clock - posted, 120 * ms);
    EXPECT_LT(p.clock - posted, 120 * ms + tick);
    EXPECT_FALSE(m.running(1));
}

TEST(HvMonitor, RestartClearsTheCellAreaAndKeepsCountingSequences) {
    FakeComm p;
    Monitor m(p);
    m.attach(3, region_a, 100);
    m.started(3);
    comm::Region& page = p.at(region_a);
    m.request_shutdown(3);
    page.cell.reply = uint32_t(comm::Reply::acknowledge);
    page.cell.reply_seq = 1;
    page.cell.heartbeat = 40;
    ASSERT_EQ(run(m, p, 2, [](unsigned) {}).at(0).kind, EventKind::acknowledged);
    m.stopped(3, comm::CellState::shut_down, comm::FailureReason::none);
    m.started(3);
    EXPECT_EQ(page.cell.heartbeat, 0u);
    EXPECT_EQ(page.cell.reply_seq, 0u);
    EXPECT_EQ(page.hypervisor.cell_state, uint32_t(comm::CellState::running));
    EXPECT_EQ(m.request_shutdown(3).seq, 2u);
    // Several cells in one tick, each with its own verdict.
    m.attach(4, region_b, 30);
    m.started(4);
    const std::vector<Event> events = run(m, p, 20, [&](unsigned) { page.cell.heartbeat += 1; });
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].slot, 4u);
    EXPECT_EQ(events[0].kind, EventKind::watchdog_expired);
    EXPECT_TRUE(m.running(3));
    m.detach(4);
    EXPECT_FALSE(m.attached(4));
}

TEST(HvMonitor, StoppedPublishesTheReasonAndEndsTheWatch) {
    FakeComm p;
    Monitor m(p);
    m.attach(1, region_a, 20);
    m.started(1);
    m.request_shutdown(1);
    m.stopped(1, comm::CellState::failed, comm::FailureReason::fault);
    const comm::HypervisorArea& a = p.at(region_a).hypervisor;
    EXPECT_EQ(a.cell_state, uint32_t(comm::CellState::failed));
    EXPECT_EQ(a.failure_reason, uint32_t(comm::FailureReason::fault));
    EXPECT_EQ(a.message, uint32_t(comm::Message::none));
    EXPECT_TRUE(run(m, p, 50, [](unsigned) {}).empty());
    EXPECT_EQ(m.request_shutdown(1).seq, 0u); // not running: nothing posted
}

TEST(HvMonitor, TimeConversions) {
    FakeComm p;
    Monitor m(p);
    EXPECT_EQ(m.ticks_of_ms(10), 625000u);
    EXPECT_EQ(m.ticks_of_ms(2500), 156250000u);
    EXPECT_EQ(m.us_of_ticks(625000), 10000u);
    EXPECT_EQ(m.us_of_ticks(hz * 100000 + 62), 100000000000u);
}

} // namespace
