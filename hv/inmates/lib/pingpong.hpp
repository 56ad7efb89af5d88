// The link ping-pong both demos run (hv/inmates/pingpong, and the planned root with rtbeat):
// peer 0 of a link pings, peer 1 answers, each message checked byte by byte on arrival, each
// carried by a queue and announced by the link's doorbell. Layout of the link's memory:
//   [0, 16 KiB)       queue peer 0 -> peer 1      [16 KiB, 32 KiB)  queue peer 1 -> peer 0
//   [32 KiB, +1 KiB)  sampling port peer 1 -> peer 0 (the responder's latest count)
// The link must be at least 33 KiB and have a doorbell.
#pragma once

#include <stdint.h>

#include "link.hpp"

namespace inmate::pingpong {

inline constexpr ipc::QueueGeometry geometry{16, 256};
inline constexpr uint64_t queue_span = 16 * 1024;
inline constexpr uint64_t sampling_offset = 2 * queue_span;
inline constexpr uint32_t sampling_max = 64;
inline constexpr uint64_t link_min = sampling_offset + 1024;

struct Endpoint {
    Link link;
    const char* who = ""; // the print prefix
    QueueProducer out{nullptr, 0, geometry};
    QueueConsumer in{nullptr, 0, geometry};
    SamplingPortWriter count_out{nullptr, 0, sampling_max}; // peer 1
};

// Finds the link, checks it fits, initialises this side's outgoing queue and enables the
// doorbell (gic::init_cpu and a handler calling link_doorbell_handler must be in place, and
// interrupts on). False (and a line saying why) when it cannot.
bool open(Endpoint& e, const char* link_name, const char* who);

struct Stats {
    uint64_t rounds = 0;    // messages answered and checked
    uint64_t errors = 0;    // wrong contents, or no answer in time
    uint64_t ticks = 0;     // counter ticks for all rounds
    uint64_t doorbells = 0; // doorbell interrupts taken
    uint64_t min = 0;       // counter ticks of the fastest round (ping)
    uint64_t max = 0;       // and of the slowest
};

// Peer 0: `rounds` round trips of `size`-byte messages (8..256), each reply checked.
// The rounds are numbered from `first` (a warm-up and a measured run continue one sequence).
Stats ping(Endpoint& e, uint64_t rounds, uint32_t size, uint64_t first = 0);
// Peer 1: answers pings until `rounds` were answered (or no ping comes for `idle_us`).
Stats pong(Endpoint& e, uint64_t rounds, uint64_t idle_us);

// Throughput, peer 0: streams `count` messages of `size` bytes without doorbells (spinning on a
// full queue) and waits for the responder's total; `ticks` from the first push to that answer.
Stats stream(Endpoint& e, uint64_t count, uint32_t size);
// Peer 1's side of stream(): takes `count` messages (spinning on empty), checks each, answers.
// Both publish the responder's count on the sampling port (pongs answered, then messages drained).
Stats drain(Endpoint& e, uint64_t count, uint32_t size);

// The responder's latest count, through the sampling port (peer 1 writes, peer 0 reads).
void publish_count(Endpoint& e, uint64_t count);
ipc::Sample read_count(Endpoint& e, uint64_t& count);

} // namespace inmate::pingpong
