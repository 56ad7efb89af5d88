// hv/inmates/lib/ipc: the link IPC building blocks on the host, with C++ fences standing in for
// the inmates' DMB SY. The queue and the ports over plain memory (order, bounds, full/empty,
// overflow, age and validity, peers writing garbage), then two threads hammering each one.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <thread>
#include <vector>

#include "inmates/lib/ipc/queuing_port.hpp"
#include "inmates/lib/ipc/sampling_port.hpp"
#include "inmates/lib/ipc/spsc_queue.hpp"

namespace {

using F = ipc::HostFences;
using ipc::QueueGeometry;
using ipc::Status;

struct Shared {
    explicit Shared(size_t bytes) : words(bytes / 4 + 1, 0) {}
    void* base() { return words.data(); }
    size_t size() const { return (words.size() - 1) * 4; }
    std::vector<uint32_t> words;
};

std::vector<uint8_t> message(uint32_t n, size_t length) {
    std::vector<uint8_t> m(length);
    for (size_t i = 0; i < length; ++i)
        m[i] = uint8_t(n * 31 + i * 7);
    return m;
}

TEST(HvIpcQueue, GeometryAndMemoryAreChecked) {
    constexpr QueueGeometry g{8, 60};
    EXPECT_EQ(ipc::queue_bytes(g), 4 * (48 + 8 * 16u));
    Shared mem(ipc::queue_bytes(g));
    EXPECT_TRUE(ipc::QueueProducer<F>(mem.base(), mem.size(), g).valid());
    EXPECT_FALSE(ipc::QueueProducer<F>(mem.base(), mem.size() - 4, g).valid()); // too small
    EXPECT_FALSE(ipc::QueueProducer<F>(mem.base(), mem.size(), QueueGeometry{6, 60}).valid());
    EXPECT_FALSE(ipc::QueueProducer<F>(mem.base(), mem.size(), QueueGeometry{8, 0}).valid());
    EXPECT_FALSE(ipc::QueueProducer<F>(nullptr, 1 << 20, g).valid());
    auto* odd = static_cast<uint8_t*>(mem.base()) + 2;
    EXPECT_FALSE(ipc::QueueProducer<F>(odd, mem.size() - 4, g).valid()); // unaligned
    ipc::QueueProducer<F> bad(mem.base(), 16, g);
    EXPECT_EQ(bad.push("x", 1), Status::invalid);
}

TEST(HvIpcQueue, FifoOrderFullEmptyAndBounds) {
    constexpr QueueGeometry g{4, 16};
    Shared mem(ipc::queue_bytes(g));
    ipc::QueueProducer<F> tx(mem.base(), mem.size(), g);
    ipc::QueueConsumer<F> rx(mem.base(), mem.size(), g);
    uint8_t out[16];
    size_t length = 0;
    EXPECT_FALSE(rx.ready());
    EXPECT_EQ(rx.pop(out, sizeof out, length), Status::not_ready); // zeroed link memory
    tx.init();
    EXPECT_TRUE(rx.ready());
    EXPECT_EQ(rx.pop(out, sizeof out, length), Status::empty);
    EXPECT_EQ(tx.push("0123456789abcdefX", 17), Status::too_long);
    for (uint32_t round = 0; round < 10; ++round) { // wraps the slots several times
        for (uint32_t i = 0; i < 4; ++i) {
            const auto m = message(round * 4 + i, 1 + (round + i) % 16);
            ASSERT_EQ(tx.push(m.data(), m.size()), Status::ok);
        }
        EXPECT_EQ(tx.push("y", 1), Status::full);
        EXPECT_EQ(rx.pending(), 4u);
        for (uint32_t i = 0; i < 4; ++i) {
            const auto m = message(round * 4 + i, 1 + (round + i) % 16);
            if (m.size() > 4) { // a buffer too small leaves the message queued
                EXPECT_EQ(rx.pop(out, 4, length), Status::too_small);
                EXPECT_EQ(length, m.size());
            }
            ASSERT_EQ(rx.pop(out, sizeof out, length), Status::ok);
            ASSERT_EQ(length, m.size());
            EXPECT_EQ(std::memcmp(out, m.data(), length), 0);
        }
        EXPECT_EQ(rx.pop(out, sizeof out, length), Status::empty);
    }
    // Zero-length messages are messages.
    EXPECT_EQ(tx.push(nullptr, 0), Status::ok);
    EXPECT_EQ(rx.pop(out, sizeof out, length), Status::ok);
    EXPECT_EQ(length, 0u);
}

TEST(HvIpcQueue, GarbageFromAPeerIsCorruptNeverOutOfBounds) {
    constexpr QueueGeometry g{4, 16};
    Shared mem(ipc::queue_bytes(g));
    ipc::QueueProducer<F> tx(mem.base(), mem.size(), g);
    ipc::QueueConsumer<F> rx(mem.base(), mem.size(), g);
    tx.init();
    uint8_t out[16];
    size_t length = 0;
    // A producer claiming more messages than slots.
    mem.words[ipc::queue_layout::head_word] = 1000;
    EXPECT_EQ(rx.pop(out, sizeof out, length), Status::corrupt);
    EXPECT_EQ(rx.pending(), 0u);
    // One message whose length word is beyond the geometry.
    mem.words[ipc::queue_layout::head_word] = 1;
    mem.words[ipc::queue_layout::slot_base_word] = 0xffffffff;
    EXPECT_EQ(rx.pop(out, sizeof out, length), Status::corrupt);
    // A consumer claiming to have read more than was pushed.
    mem.words[ipc::queue_layout::tail_word] = 77;
    EXPECT_EQ(tx.push("z", 1), Status::corrupt);
    // A producer announcing another geometry: not ready.
    mem.words[ipc::queue_layout::slots_word] = 64;
    EXPECT_EQ(rx.pop(out, sizeof out, length), Status::not_ready);
}

TEST(HvIpcQueuingPort, OverflowIsRefusedAndCountedForTheReceiver) {
    constexpr QueueGeometry g{2, 8};
    Shared mem(ipc::queue_bytes(g));
    ipc::QueuingPortSender<F> tx(mem.base(), mem.size(), g);
    ipc::QueuingPortReceiver<F> rx(mem.base(), mem.size(), g);
    tx.init();
    EXPECT_EQ(tx.send("a", 1), Status::ok);
    EXPECT_EQ(tx.send("b", 1), Status::ok);
    EXPECT_EQ(tx.send("c", 1), Status::full);
    EXPECT_EQ(tx.send("d", 1), Status::full);
    EXPECT_EQ(tx.send("123456789", 9), Status::too_long); // refused, not an overflow
    EXPECT_EQ(rx.overflows(), 2u);
    EXPECT_EQ(rx.pending(), 2u);
    char out[8];
    size_t length = 0;
    EXPECT_EQ(rx.receive(out, sizeof out, length), Status::ok);
    EXPECT_EQ(out[0], 'a');
    EXPECT_EQ(tx.send("e", 1), Status::ok);
    EXPECT_EQ(rx.receive(out, sizeof out, length), Status::ok);
    EXPECT_EQ(out[0], 'b');
    EXPECT_EQ(rx.receive(out, sizeof out, length), Status::ok);
    EXPECT_EQ(out[0], 'e');
    EXPECT_EQ(rx.overflows(), 2u);
}

TEST(HvIpcSamplingPort, LatestMessageWithAgeAndValidity) {
    constexpr uint32_t max = 12;
    Shared mem(ipc::sampling_bytes(max));
    ipc::SamplingPortWriter<F> w(mem.base(), mem.size(), max);
    ipc::SamplingPortReader<F> r(mem.base(), mem.size(), max, 100);
    char out[12];
    EXPECT_EQ(r.read(out, sizeof out, 0).status, Status::not_ready);
    w.init();
    EXPECT_EQ(r.read(out, sizeof out, 0).status, Status::empty);
    EXPECT_EQ(w.write("first", 5, 1000), Status::ok);
    EXPECT_EQ(w.write("second", 6, 1010), Status::ok);
    ipc::Sample s = r.read(out, sizeof out, 1050);
    EXPECT_EQ(s.status, Status::ok);
    EXPECT_EQ(s.length, 6u);
    EXPECT_EQ(std::memcmp(out, "second", 6), 0);
    EXPECT_EQ(s.stamp, 1010u);
    EXPECT_EQ(s.age, 40u);
    EXPECT_TRUE(s.valid);
    s = r.read(out, sizeof out, 1200); // read again later: same message, now stale
    EXPECT_EQ(s.status, Status::ok);
    EXPECT_FALSE(s.valid);
    EXPECT_EQ(w.write("0123456789abc", 13, 1300), Status::too_long);
    EXPECT_EQ(r.read(out, 3, 1300).status, Status::too_small);
    // A writer that stops half-way (odd sequence) makes readers retry, then answer busy.
    mem.words[ipc::sampling_layout::seq_word] |= 1;
    EXPECT_EQ(r.read(out, sizeof out, 1300).status, Status::busy);
    // A length beyond the port from a broken writer.
    mem.words[ipc::sampling_layout::seq_word] += 1;
    mem.words[ipc::sampling_layout::length_word] = 4096;
    EXPECT_EQ(r.read(out, sizeof out, 1300).status, Status::corrupt);
}

// Two threads, a queue of 8 slots: 200 000 messages of varying length and contents, each
// checked on arrival, none lost, duplicated or reordered.
TEST(HvIpcStress, TwoThreadsThroughASmallQueue) {
    constexpr QueueGeometry g{8, 64};
    constexpr uint32_t count = 200000;
    Shared mem(ipc::queue_bytes(g));
    ipc::QueueProducer<F> tx(mem.base(), mem.size(), g);
    ipc::QueueConsumer<F> rx(mem.base(), mem.size(), g);
    tx.init();
    std::atomic<uint64_t> fulls{0};
    std::thread producer([&] {
        for (uint32_t n = 0; n < count; ++n) {
            const auto m = message(n, 1 + n % 64);
            Status s;
            while ((s = tx.push(m.data(), m.size())) == Status::full)
                fulls.fetch_add(1, std::memory_order_relaxed);
            ASSERT_EQ(s, Status::ok);
        }
    });
    uint32_t received = 0, bad = 0;
    uint64_t empties = 0;
    uint8_t out[64];
    while (received < count) {
        size_t length = 0;
        const Status s = rx.pop(out, sizeof out, length);
        if (s == Status::empty) {
            ++empties;
            continue;
        }
        ASSERT_EQ(s, Status::ok);
        const auto m = message(received, 1 + received % 64);
        if (length != m.size() || std::memcmp(out, m.data(), length) != 0)
            ++bad;
        ++received;
    }
    producer.join();
    EXPECT_EQ(bad, 0u);
    size_t length = 0;
    EXPECT_EQ(rx.pop(out, sizeof out, length), Status::empty);
    // Both sides really waited for each other at some point (the bounds were exercised).
    EXPECT_GT(fulls.load() + empties, 0u);
}

// A writer rewriting the sample as fast as it can: a reader never sees a torn message (all
// words of one message carry the same number) and the numbers it sees never go backwards.
TEST(HvIpcStress, SamplingPortReadersNeverSeeATornMessage) {
    constexpr uint32_t max = 64;
    Shared mem(ipc::sampling_bytes(max));
    ipc::SamplingPortWriter<F> w(mem.base(), mem.size(), max);
    ipc::SamplingPortReader<F> r(mem.base(), mem.size(), max, ~uint64_t(0));
    w.init();
    std::atomic<bool> stop{false};
    std::thread writer([&] {
        uint32_t words[max / 4];
        for (uint32_t n = 1; !stop.load(std::memory_order_relaxed); ++n) {
            for (uint32_t& x : words)
                x = n;
            w.write(words, sizeof words, n);
        }
    });
    uint32_t last = 0, torn = 0, backwards = 0, ok = 0;
    // 200000 reads, of which at least 1000 found a sample: the writer thread may start late. The
    // cap only keeps a broken writer from hanging the test.
    for (int i = 0; (i < 200000 || ok < 1000) && i < 50000000; ++i) {
        uint32_t words[max / 4];
        const ipc::Sample s = r.read(words, sizeof words, 0);
        if (s.status != Status::ok)
            continue;
        ++ok;
        for (uint32_t x : words)
            torn += x != words[0];
        backwards += words[0] < last;
        last = words[0];
        if (s.stamp != words[0])
            ++torn;
    }
    stop = true;
    writer.join();
    EXPECT_EQ(torn, 0u);
    EXPECT_EQ(backwards, 0u);
    EXPECT_GT(ok, 0u);
}

} // namespace
