// The measurement log ABI (hypercall ABI 1.2): what the root cell reads with measurement_read, one
// fixed-size little-endian entry per measurement the hypervisor made (its own image, the system
// descriptor, every cell descriptor at cell_create, every image copied by cell_load, every change
// the periodic integrity check found). Shared by the hypervisor (hv/core/measure/), the inmate
// runtime and host tools. docs/measurements.md says which bytes each digest covers and how to
// recompute it with sha256sum. Freestanding.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "jailconf/le.hpp"

namespace jailconf::measure {

using jcb::Le32;
using jcb::Le64;

enum class Kind : uint32_t {
    none = 0,
    hypervisor_image = 1,  // address/size: [text start, end of .data contents) = hv.bin
    hypervisor_code = 2,   // text + read-only data, the integrity check's reference (hv.bin's
                           // first `size` bytes)
    system_descriptor = 3, // the whole system blob (the .jcb file), header total_size bytes
    cell_descriptor = 4,   // cell_create: the whole cell blob (the .jcb file), total_size bytes
    cell_image = 5,        // cell_load: the bytes copied, read back from the cell's memory;
                           // address = destination guest address in the cell
    integrity_change = 6,  // the periodic check found text + read-only data changed; digest =
                           // what it hashed in that pass
};

inline constexpr size_t digest_size = 32;

// One entry, 64 bytes, little-endian.
struct Entry {
    Le32 kind;                   // Kind
    Le32 cell;                   // cell id (0 = root cell, and the hypervisor's own entries)
    Le64 seq;                    // 0, 1, 2, ... over all measurements since boot (lost included)
    Le64 address;                // physical (kinds 1-3, 6), root guest address of the blob (4),
                                 // destination guest address in the cell (5)
    Le64 size;                   // bytes hashed
    uint8_t digest[digest_size]; // SHA-256 (FIPS 180-4) of those bytes
};
static_assert(sizeof(Entry) == 64 && alignof(Entry) == 1);
static_assert(offsetof(Entry, seq) == 8 && offsetof(Entry, address) == 16 &&
              offsetof(Entry, size) == 24 && offsetof(Entry, digest) == 32);

// Entries the hypervisor keeps. Once full, later measurements are counted (measurement_info x1 -
// x0) and reported on the console, never stored over earlier ones: the first measurements (the
// hypervisor, the descriptors) are the ones an attestation most needs.
inline constexpr uint32_t log_capacity = 128;

// integrity_status x0.
enum class IntegrityState : uint64_t {
    intact = 0,  // every completed pass matched the boot measurement (or none completed yet)
    changed = 1, // at least one pass found different bytes
};

} // namespace jailconf::measure
