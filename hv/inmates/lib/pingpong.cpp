#include "pingpong.hpp"

#include "inmate.hpp"

namespace inmate::pingpong {
namespace {

constexpr uint32_t ping_tag = 0x474e4950, pong_tag = 0x474e4f50, done_tag = 0x454e4f44;
constexpr uint64_t answer_timeout_us = 200000;
// Generous: without -icount, QEMU's two vCPU threads may wait for a busy host's cores.
constexpr uint64_t stream_timeout_us = 20000000;

uint8_t pattern(uint64_t round, uint32_t i, bool reply) {
    const uint8_t b = uint8_t(round * 7 + i * 13 + 1);
    return reply ? uint8_t(~b) : b;
}

void fill(uint8_t* m, uint32_t tag, uint64_t round, uint32_t size, bool reply) {
    for (uint32_t i = 0; i < 4; ++i)
        m[i] = uint8_t(tag >> (8 * i));
    for (uint32_t i = 0; i < 4; ++i)
        m[4 + i] = uint8_t(round >> (8 * i));
    for (uint32_t i = 8; i < size; ++i)
        m[i] = pattern(round, i, reply);
}

bool check(const uint8_t* m, size_t length, uint32_t tag, uint64_t round, uint32_t size,
           bool reply) {
    if (length != size)
        return false;
    uint8_t want[256];
    fill(want, tag, round, size, reply);
    for (uint32_t i = 0; i < size; ++i) {
        if (m[i] != want[i])
            return false;
    }
    return true;
}

uint64_t word_at(const uint8_t* m, unsigned at) {
    uint64_t v = 0;
    for (unsigned i = 0; i < 4; ++i)
        v |= uint64_t(m[at + i]) << (8 * i);
    return v;
}

// Pops the next message, sleeping on the doorbell while the queue is empty (the count is read
// before the queue, so a doorbell between the two is not missed). False on timeout or error.
bool receive(Endpoint& e, uint8_t* m, size_t& length, uint64_t timeout_us) {
    const uint64_t end = counter() + timeout_us * (counter_frequency() / 1000000);
    for (;;) {
        const uint64_t seen = link_doorbells_seen();
        const ipc::Status s = e.in.pop(m, 256, length);
        if (s == ipc::Status::ok)
            return true;
        if (s != ipc::Status::empty && s != ipc::Status::not_ready) {
            print("%s: queue: %s\n", e.who, ipc::status_name(s));
            return false;
        }
        const uint64_t now = counter();
        if (now >= end)
            return false;
        link_wait_doorbell(seen, (end - now) / (counter_frequency() / 1000000) + 1);
    }
}

bool send(Endpoint& e, const uint8_t* m, uint32_t size) {
    const ipc::Status s = e.out.push(m, size);
    if (s != ipc::Status::ok) {
        print("%s: push: %s\n", e.who, ipc::status_name(s));
        return false;
    }
    return link_ring(e.link) >= 0;
}

} // namespace

bool open(Endpoint& e, const char* link_name, const char* who) {
    e.who = who;
    if (const int64_t r = link_find(link_name, e.link); r != 0) {
        print("%s: link %s not found (%ld)\n", who, link_name, r);
        return false;
    }
    if (e.link.size < link_min || e.link.doorbell == 0 || e.link.peer_index > 1) {
        print("%s: link %s: %lu bytes, doorbell %u, peer %u: needs %lu bytes, a doorbell and "
              "peer 0 or 1\n",
              who, link_name, e.link.size, e.link.doorbell, e.link.peer_index, link_min);
        return false;
    }
    const uint64_t mine = e.link.peer_index == 0 ? 0 : queue_span;
    const uint64_t theirs = e.link.peer_index == 0 ? queue_span : 0;
    e.out = QueueProducer(e.link.at(mine), queue_span, geometry);
    e.in = QueueConsumer(e.link.at(theirs), queue_span, geometry);
    e.out.init();
    if (e.link.peer_index == 1) {
        e.count_out = SamplingPortWriter(e.link.at(sampling_offset), 1024, sampling_max);
        e.count_out.init();
    }
    link_enable_doorbell(e.link);
    print("%s: link %s at 0x%lx, %lu KiB, peer %u of %u, doorbell INTID %u\n", who, link_name,
          e.link.address, e.link.size >> 10, e.link.peer_index, e.link.peer_count, e.link.doorbell);
    return true;
}

Stats ping(Endpoint& e, uint64_t rounds, uint32_t size, uint64_t first) {
    Stats st;
    uint8_t m[256];
    const uint64_t doorbells = link_doorbells_seen();
    const uint64_t start = counter();
    for (uint64_t r = first; r < first + rounds; ++r) {
        const uint64_t round_start = counter();
        fill(m, ping_tag, r, size, false);
        size_t length = 0;
        if (!send(e, m, size) || !receive(e, m, length, answer_timeout_us)) {
            ++st.errors;
            print("%s: round %lu: no answer\n", e.who, r);
            break;
        }
        if (!check(m, length, pong_tag, r, size, true)) {
            ++st.errors;
            print("%s: round %lu: wrong answer (%lu bytes, tag 0x%lx, round %lu)\n", e.who, r,
                  length, word_at(m, 0), word_at(m, 4));
            break;
        }
        ++st.rounds;
        const uint64_t took = counter() - round_start;
        st.min = st.rounds == 1 || took < st.min ? took : st.min;
        st.max = took > st.max ? took : st.max;
    }
    st.ticks = counter() - start;
    st.doorbells = link_doorbells_seen() - doorbells;
    return st;
}

Stats pong(Endpoint& e, uint64_t rounds, uint64_t idle_us) {
    Stats st;
    uint8_t m[256];
    const uint64_t doorbells = link_doorbells_seen();
    const uint64_t start = counter();
    while (st.rounds < rounds) {
        size_t length = 0;
        if (!receive(e, m, length, idle_us))
            break;
        const uint64_t r = word_at(m, 4);
        const uint32_t size = uint32_t(length);
        if (r != st.rounds || size < 8 || !check(m, length, ping_tag, r, size, false)) {
            ++st.errors;
            print("%s: ping %lu: wrong contents (%lu bytes, round %lu)\n", e.who, st.rounds, length,
                  r);
            break;
        }
        fill(m, pong_tag, r, size, true);
        if (!send(e, m, size)) {
            ++st.errors;
            break;
        }
        ++st.rounds;
        publish_count(e, st.rounds);
    }
    st.ticks = counter() - start;
    st.doorbells = link_doorbells_seen() - doorbells;
    return st;
}

Stats stream(Endpoint& e, uint64_t count, uint32_t size) {
    Stats st;
    uint8_t m[256];
    const uint64_t start = counter();
    link_ring(e.link); // the responder may be asleep
    for (uint64_t r = 0; r < count; ++r) {
        fill(m, ping_tag, r, size, false);
        ipc::Status s;
        while ((s = e.out.push(m, size)) == ipc::Status::full)
            __asm__ volatile("yield"); // lets QEMU run the other CPU
        if (s != ipc::Status::ok) {
            ++st.errors;
            return st;
        }
    }
    size_t length = 0;
    if (!receive(e, m, length, stream_timeout_us) || word_at(m, 0) != done_tag ||
        word_at(m, 4) != uint32_t(count))
        ++st.errors;
    else
        st.rounds = count;
    st.ticks = counter() - start;
    return st;
}

Stats drain(Endpoint& e, uint64_t count, uint32_t size) {
    Stats st;
    uint8_t m[256];
    const uint64_t start = counter();
    const uint64_t give_up = start + stream_timeout_us / 1000000 * counter_frequency();
    while (st.rounds < count && counter() < give_up) {
        size_t length = 0;
        const ipc::Status s = e.in.pop(m, sizeof m, length);
        if (s == ipc::Status::empty || s == ipc::Status::not_ready) {
            __asm__ volatile("yield");
            continue;
        }
        if (s != ipc::Status::ok || !check(m, length, ping_tag, st.rounds, size, false)) {
            ++st.errors;
            break;
        }
        ++st.rounds;
    }
    publish_count(e, st.rounds); // before the answer, so the reader sees it after the answer
    fill(m, done_tag, st.rounds, 8, true);
    send(e, m, 8);
    st.ticks = counter() - start;
    return st;
}

void publish_count(Endpoint& e, uint64_t count) {
    uint8_t m[8];
    for (unsigned i = 0; i < 8; ++i)
        m[i] = uint8_t(count >> (8 * i));
    e.count_out.write(m, sizeof m, counter());
}

ipc::Sample read_count(Endpoint& e, uint64_t& count) {
    SamplingPortReader reader(e.link.at(sampling_offset), 1024, sampling_max,
                              counter_frequency()); // valid for 1 s
    uint8_t m[8] = {};
    const ipc::Sample s = reader.read(m, sizeof m, counter());
    count = 0;
    for (unsigned i = 0; i < 8; ++i)
        count |= uint64_t(m[i]) << (8 * i);
    return s;
}

} // namespace inmate::pingpong
