// The hypercall ABI of the Jailconf hypervisor, version 1.2: what a cell passes in registers with
// HVC #0 (or SMC #0, which the hypervisor traps the same way) and what it gets back. Shared by the
// hypervisor, the inmate runtime and, later, confgen/pyjailconf. Freestanding: <stdint.h> only.
// docs/hypercalls.md describes every call in prose.
//
// Function ids follow the SMC Calling Convention: bit 31 = 1 (fast call), bit 30 = 1 (SMC64
// register convention), bits [29:24] = 6 (owning entity: vendor-specific hypervisor service),
// bits [15:0] = the function number. Arguments go in x1..x7, results come back in x0..x3; x4..x17
// are preserved. x0 is a Status (negative) or the call's non-negative result.
#pragma once

#include <stdint.h>

namespace jailconf::hypercall {

inline constexpr uint32_t abi_major = 1;
inline constexpr uint32_t abi_minor = 2;
inline constexpr uint64_t abi_version = uint64_t(abi_major) << 16 | abi_minor;

inline constexpr uint32_t fast_call = 1u << 31;
inline constexpr uint32_t smc64 = 1u << 30;
inline constexpr uint32_t owner_vendor_hypervisor = 6u << 24;
inline constexpr uint32_t owner_mask = 0x3fu << 24;

constexpr uint32_t function_id(uint16_t number) {
    return fast_call | smc64 | owner_vendor_hypervisor | number;
}
// True for every id of this ABI's range (known or not): the hypervisor answers unknown ones with
// Status::not_supported.
constexpr bool in_hypercall_range(uint64_t x0) {
    return (x0 >> 32) == 0 &&
           (uint32_t(x0) & (fast_call | smc64 | owner_mask)) ==
               (fast_call | smc64 | owner_vendor_hypervisor) &&
           (uint32_t(x0) & 0x00ff0000u) == 0;
}

// Function ids. "root" marks the calls only the root cell may make (others get denied).
enum class Function : uint32_t {
    version = function_id(0x00),        // -> x0 = abi_version
    console_write = function_id(0x01),  // x1 = length (0..48), x2..x7 = bytes -> x0 = length
    cell_self = function_id(0x02),      // -> x0 = the caller's cell id (the root cell is 0)
    cell_get_state = function_id(0x03), // x1 = cell id -> x0 = CellState, x1 = CPU bitmap,
                                        //   x2 = jailconf::comm::FailureReason (1.1)
    console_read = function_id(0x04),   // root (1.1): x1 = buffer IPA, x2 = size, x3 = position
                                        //   -> x0 = bytes copied, x1 = position of the first,
                                        //   x2 = position after the last, x3 = oldest held
    cell_create = function_id(0x10),    // root: x1 = IPA, x2 = size of a cell blob -> x0 = id
    cell_load = function_id(0x11),  // root: x1 = id, x2 = dest guest addr, x3 = src IPA, x4 = size
    cell_start = function_id(0x12), // root: x1 = id
    cell_shutdown = function_id(0x13), // root: x1 = id -> x0 = 0 (stopped) or, for a running
                                       //   cell with a comm region (1.1), shutdown_requested
                                       //   with x1 = message seq, x2 = timeout in ms
    cell_destroy = function_id(0x14),  // root: x1 = id
    // Links (1.2, docs/links.md), any cell that is a peer:
    link_find = function_id(0x20), // x1 = name length (1..48), x2..x7 = name bytes (as
                                   //   console_write) -> x0 = link id, x1 = guest address,
                                   //   x2 = size, x3 = link_find_x3(peer index, peers, doorbell)
    link_ring = function_id(0x21), // x1 = link id -> x0 = how many other peers were rung
    // Measurements (1.2, jailconf/measurement.hpp, docs/measurements.md).
    measurement_info = function_id(0x30), // root: -> x0 = entries held, x1 = measurements made
                                          //   since boot (x1 - x0 were lost to a full log),
                                          //   x2 = capacity, x3 = entry size
    measurement_read = function_id(0x31), // root: x1 = first index, x2 = buffer IPA, x3 = its
                                          //   size -> x0 = entries copied, x1 = entries held
    integrity_status = function_id(0x32), // root: -> x0 = IntegrityState, x1 = passes completed,
                                          //   x2 = passes that found a change, x3 = the longest
                                          //   integrity step of a tick, in counter ticks
    // Fault reporting (1.2), 0x40..0x4f.
    fault_read = function_id(0x40), // root: x1 = cell id, x2 = buffer IPA, x3 = its size
                                    //   (>= sizeof(FaultReport)) -> x0 = bytes written,
                                    //   x1 = the cell's total fault count
};

// x3 of link_find: the caller's peer index [7:0], the number of peers [15:8], the doorbell INTID
// [31:16] (0 = the link has no doorbell).
constexpr uint64_t link_find_x3(uint32_t peer_index, uint32_t peers, uint32_t doorbell) {
    return uint64_t(peer_index & 0xff) | uint64_t(peers & 0xff) << 8 |
           uint64_t(doorbell & 0xffff) << 16;
}
inline constexpr uint64_t link_name_max = 48; // bytes link_find takes (x2..x7)

// Negative values in x0. not_supported is SMCCC's "unknown function" (-1).
enum class Status : int64_t {
    success = 0,
    not_supported = -1,      // unknown function id
    denied = -2,             // the caller may not make this call (not the root cell, or own id)
    invalid_argument = -3,   // a size, length or flag out of bounds
    invalid_address = -4,    // a range not inside the caller's (or the target's) memory
    no_such_cell = -5,       // no cell with this id
    wrong_state = -6,        // the call does not apply to the cell's current state
    invalid_descriptor = -7, // create: the verifier refused the blob; x1 = VerifyError, x2 = offset
    resource_refused = -8,   // create: x1 = Resource, x2 = which (CPU id, region index, INTID),
                             //         x3 = the hypervisor's reason code (hv::Error)
    no_resources = -9,       // no free cell slot or translation tables left
    busy = -10,              // a CPU of the cell did not stop in time; retry
};

// Cell states reported by cell_get_state.
enum class CellState : uint64_t {
    absent = 0,  // no cell with this id
    created = 1, // resources taken and zeroed, images may be loaded, not started
    running = 2,
    stopped = 3, // shut down by the root cell, by its own PSCI SYSTEM_OFF, or before a restart
    failed = 4,  // stopped by the hypervisor after a stray access or forbidden operation
};

// What a resource_refused answer names in x1.
enum class Resource : uint64_t { cpu = 1, memory = 2, irq = 3, other = 4 };

inline constexpr uint32_t root_cell_id = 0;
// cell_shutdown's answer when it posted a shutdown request to the cell's comm region instead of
// stopping it (docs/comm-region.md).
inline constexpr uint64_t shutdown_requested = 1;
inline constexpr uint64_t console_write_max = 48;      // bytes per console_write (x2..x7)
inline constexpr uint64_t descriptor_max = 16 * 1024;  // bytes of a cell blob cell_create copies
inline constexpr uint64_t load_max = 64ull << 20;      // bytes one cell_load copies
inline constexpr uint64_t console_read_max = 4096;     // bytes one console_read copies
inline constexpr uint64_t measurement_read_max = 4096; // bytes one measurement_read copies

// SMCCC's "Vendor Specific Hypervisor Service Call UID" query (owner 6, function 0xff01, a fast
// SMC32 call, outside the range above): any cell may ask it, and the answer in w0..w3 (UUID bytes
// 0-3, 4-7, 8-11, 12-15, each word little-endian) identifies Jailconf. Whoever else answers
// (another hypervisor) returns its own UID or -1 in w0. The UUID is
// 1be952c2-df06-41ba-a1cb-9eda0cb145a3.
inline constexpr uint32_t vendor_hyp_call_uid = 0x8600ff01u;
inline constexpr uint32_t jailconf_uid[4] = {0xc252e91bu, 0xba4106dfu, 0xda9ecba1u, 0xa345b10cu};

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "FaultReport is little-endian; add byte swapping for this target"
#endif
// fault_read's answer (1.2): the faults the hypervisor attributed to one cell slot since a cell
// was last created in it (the root's since boot). Written into root RAM; every field is a
// naturally aligned little-endian integer (the hypervisor and inmates are little-endian).
enum class FaultKind : uint32_t {
    none = 0,
    data_abort = 1,         // stage-2 data abort: a load or store outside the cell's memory
    instruction_abort = 2,  // stage-2 instruction abort: a fetch outside its executable memory
    forbidden_register = 3, // a trapped system register access the hypervisor does not emulate
    serror = 4,             // an SError (asynchronous abort) taken while the cell ran
    other = 5,              // any other forbidden trap (an undecodable GIC access, ...)
};
inline constexpr uint32_t fault_kind_count = 6; // FaultReport::counts indices (0 unused)
inline constexpr uint32_t fault_report_version = 1;
inline constexpr uint32_t fault_device_max = 48; // bytes of last_device, NUL included

struct FaultReport {
    uint32_t version;                   // 0x00 fault_report_version
    uint32_t total;                     // 0x04 all faults, saturating at 0xffffffff
    uint32_t counts[8];                 // 0x08 per FaultKind, saturating
    uint32_t last_kind;                 // 0x28 FaultKind of the last fault (none: no fault)
    uint32_t last_cpu;                  // 0x2c the CPU it happened on
    uint64_t last_address;              // 0x30 the faulting IPA of an abort, else 0
    uint64_t last_pc;                   // 0x38 ELR at the fault
    uint64_t last_esr;                  // 0x40 ESR_EL2 (the syndrome)
    char last_device[fault_device_max]; // 0x48 what the address belongs to, by the descriptors
                                        //      ("hypervisor memory", "root/uart0", "GIC
                                        //      distributor", ...); "" when nothing known
};
static_assert(sizeof(FaultReport) == 0x78);
static_assert(__builtin_offsetof(FaultReport, counts) == 0x08);
static_assert(__builtin_offsetof(FaultReport, last_address) == 0x30);
static_assert(__builtin_offsetof(FaultReport, last_device) == 0x48);

static_assert(uint32_t(Function::version) == 0xc6000000u);
static_assert(uint32_t(Function::cell_destroy) == 0xc6000014u);
static_assert(uint32_t(Function::link_find) == 0xc6000020u);
static_assert(uint32_t(Function::link_ring) == 0xc6000021u);
static_assert(uint32_t(Function::measurement_info) == 0xc6000030u);
static_assert(uint32_t(Function::integrity_status) == 0xc6000032u);
static_assert(!in_hypercall_range(vendor_hyp_call_uid));
static_assert(in_hypercall_range(0xc600ffffu) && !in_hypercall_range(0x84000000u) &&
              !in_hypercall_range(0x86000000u) && !in_hypercall_range(0x1c6000000ull));

} // namespace jailconf::hypercall
