// The communication region between the Jailconf hypervisor and a non-root cell, ABI 1.0: one
// 4 KiB page of the cell's RAM flagged `comm_region` in its descriptor. The hypervisor writes the
// first half (cell state, messages to the cell, its tick period), the cell writes the second half
// (watchdog heartbeat, replies). Shared by the hypervisor, the inmate runtime and confgen (the
// tick period). Freestanding: <stdint.h> and <stddef.h> only. docs/comm-region.md describes it.
//
// Every field is a naturally aligned, fixed-width, little-endian integer (the header refuses a
// big-endian target), so each one is read and written with a single-copy-atomic access. The two
// halves lie 2 KiB apart, the architectural maximum of a cache writeback granule (CTR_EL0.CWG):
// a side that runs with caches on never writes back a line holding the other side's fields, so a
// cell running uncached (MMU off) and a hypervisor running cached cannot lose each other's writes.
#pragma once

#include <stddef.h>
#include <stdint.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the communication region is little-endian; add byte swapping for this target"
#endif

namespace jailconf::comm {

// The hypervisor's timer tick: the granularity of watchdog and message timeouts. confgen's lint
// (confgen/src/kb/facts.hpp) compares watchdog timeouts with it.
inline constexpr uint32_t hypervisor_tick_ms = 10;

inline constexpr uint32_t magic = 0x524d434a; // "JCMR" in memory order
inline constexpr uint16_t abi_major = 1;
inline constexpr uint16_t abi_minor = 0;
inline constexpr size_t region_size = 4096;
inline constexpr size_t cell_area_offset = 2048;

// What the hypervisor says about the cell (same numbers as jailconf::hypercall::CellState).
enum class CellState : uint32_t {
    created = 1,   // resources taken, not started
    running = 2,   //
    shut_down = 3, // stopped by the root's request (acknowledged), the root, or its own power-off
    failed = 4,    // stopped by the hypervisor; failure_reason says why
};

// Why a cell failed (also cell_get_state's x2).
enum class FailureReason : uint32_t {
    none = 0,
    fault = 1,    // a stray access or forbidden operation
    watchdog = 2, // the heartbeat did not change for the watchdog timeout
    no_reply = 3, // a message stayed unanswered past its timeout
};

// Messages from the hypervisor to the cell.
enum class Message : uint32_t {
    none = 0,
    shutdown_request = 1, // the root asked for a shutdown: acknowledge (then stop) or deny
};

// The cell's answer to the message with the same sequence number.
enum class Reply : uint32_t {
    none = 0,
    acknowledge = 1, // for shutdown_request: the hypervisor stops the cell now
    deny = 2,        // the cell goes on; the root is told
};

// Written by the hypervisor only, at offset 0. message_seq is written last (after the message
// and its timeout are visible): a cell that sees a new message_seq sees the message too.
struct HypervisorArea {
    uint32_t magic;              // 0x00  comm::magic once the hypervisor initialised the region
    uint16_t abi_major;          // 0x04
    uint16_t abi_minor;          // 0x06
    uint32_t cell_state;         // 0x08  CellState
    uint32_t failure_reason;     // 0x0c  FailureReason (none unless failed)
    uint32_t tick_ms;            // 0x10  the hypervisor's tick period
    uint32_t watchdog_ms;        // 0x14  the cell's watchdog timeout, 0 = none
    uint32_t message;            // 0x18  Message
    uint32_t message_timeout_ms; // 0x1c  time the cell has to reply
    uint64_t message_seq;        // 0x20  1, 2, ... per message posted; 0 = none yet
    uint64_t reserved[27];       // 0x28  zero
};
static_assert(sizeof(HypervisorArea) == 256);
static_assert(offsetof(HypervisorArea, cell_state) == 0x08);
static_assert(offsetof(HypervisorArea, tick_ms) == 0x10);
static_assert(offsetof(HypervisorArea, message) == 0x18);
static_assert(offsetof(HypervisorArea, message_seq) == 0x20);

// Written by the cell only, at offset cell_area_offset. reply_seq is written last: when it equals
// message_seq, reply answers that message.
struct CellArea {
    uint64_t heartbeat;    // 0x800 any change counts as a beat (the runtime increments it)
    uint64_t reply_seq;    // 0x808 the message_seq this reply answers
    uint32_t reply;        // 0x810 Reply
    uint32_t reserved0;    // 0x814
    uint64_t reserved[29]; // 0x818 zero
};
static_assert(sizeof(CellArea) == 256);
static_assert(offsetof(CellArea, reply_seq) == 0x08);
static_assert(offsetof(CellArea, reply) == 0x10);

// The whole page.
struct Region {
    HypervisorArea hypervisor;
    uint8_t hypervisor_pad[cell_area_offset - sizeof(HypervisorArea)];
    CellArea cell;
    uint8_t cell_pad[region_size - cell_area_offset - sizeof(CellArea)];
};
static_assert(sizeof(Region) == region_size);
static_assert(offsetof(Region, cell) == cell_area_offset);
static_assert(offsetof(Region, cell) + offsetof(CellArea, heartbeat) == 0x800);

} // namespace jailconf::comm
