// Links from an inmate (docs/links.md): find a link by name (its guest address, size, this cell's
// peer index, its doorbell), ring it, take its doorbell interrupt, and the IPC building blocks
// (lib/ipc/) instantiated with the fences that order accesses to the link's memory when the
// cell's MMU is off (Device memory): DMB SY.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ipc/queuing_port.hpp"
#include "ipc/sampling_port.hpp"
#include "ipc/spsc_queue.hpp"

namespace inmate {

struct DeviceFences {
    static void acquire() { __asm__ volatile("dmb sy" ::: "memory"); }
    static void release() { __asm__ volatile("dmb sy" ::: "memory"); }
    static void full() { __asm__ volatile("dmb sy" ::: "memory"); }
};

using QueueProducer = ipc::QueueProducer<DeviceFences>;
using QueueConsumer = ipc::QueueConsumer<DeviceFences>;
using QueuingPortSender = ipc::QueuingPortSender<DeviceFences>;
using QueuingPortReceiver = ipc::QueuingPortReceiver<DeviceFences>;
using SamplingPortWriter = ipc::SamplingPortWriter<DeviceFences>;
using SamplingPortReader = ipc::SamplingPortReader<DeviceFences>;

struct Link {
    uint64_t id = 0;      // what ring() takes
    uint64_t address = 0; // guest address of the shared memory in this cell
    uint64_t size = 0;
    unsigned peer_index = 0; // this cell's place in the link's peers (as the config lists them)
    unsigned peer_count = 0;
    uint32_t doorbell = 0; // INTID, 0 = none

    void* at(size_t offset) const { return reinterpret_cast<void*>(uintptr_t(address + offset)); }
};

// link_find: 0 and `out` filled, or a negative jailconf::hypercall::Status (invalid_argument:
// no link of that name has this cell as a peer, or the name is longer than 48 bytes).
int64_t link_find(const char* name, Link& out);
// link_ring: the number of other peers rung (running ones), or a negative status.
int64_t link_ring(const Link& link);

// The doorbell on this CPU (the cell's first CPU receives it): priority and enable in the
// distributor. Interrupts must be on (gic::irqs_on) and gic::init_cpu done for it to arrive.
void link_enable_doorbell(const Link& link);

// Doorbells counted by link_doorbell_handler(): a cell with other interrupts calls it from its
// own handler for the link's INTID (it returns false for other INTIDs).
bool link_doorbell_handler(uint32_t intid);
uint64_t link_doorbells_seen();
// Waits (WFI) until the doorbell count passes `seen`, at most `timeout_us`; the new count, or
// `seen` on timeout.
uint64_t link_wait_doorbell(uint64_t seen, uint64_t timeout_us);

} // namespace inmate
