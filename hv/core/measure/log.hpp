// The measurement log: a bounded, append-only list of SHA-256 digests the hypervisor made (its
// image, the descriptors, every loaded cell image, integrity changes) that the root cell reads with
// measurement_read (jailconf/measurement.hpp, docs/measurements.md). Entries are never
// overwritten: once the log is full, later measurements are counted as lost (and the caller
// reports the first loss), so an overflow is never silent. Arch-neutral, host-tested
// (tests/unit/hv_measurement_test.cpp).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/measure/sha.hpp"
#include "core/sync/spinlock.hpp"
#include "jailconf/measurement.hpp"

namespace hv::measure {

namespace jm = jailconf::measure;

// The memory a measurement reads, in pieces (the lifecycle reads cell memory through its
// platform, the boot code reads its own image directly).
class Reader {
  public:
    // Copies `size` bytes at `address` to `out`.
    virtual void read(uint64_t address, uint8_t* out, size_t size) = 0;

  protected:
    ~Reader() = default;
};

// SHA-256 of `size` bytes at `address`, read through `reader` in bounded pieces.
void digest_of(Reader& reader, uint64_t address, uint64_t size, uint8_t out[jm::digest_size]);
// SHA-256 of bytes already in hypervisor memory.
void digest_of(const void* data, size_t size, uint8_t out[jm::digest_size]);

class Log {
  public:
    struct Added {
        bool stored = false;     // false: the log was full, the measurement only counted
        bool first_loss = false; // this is the first measurement lost (report it once)
        uint64_t seq = 0;
    };
    Added add(jm::Kind kind, uint32_t cell, uint64_t address, uint64_t size,
              const uint8_t digest[jm::digest_size]);

    // Entries held (at most the capacity) and measurements made since boot.
    uint32_t held() const;
    uint64_t made() const;
    // Copies entries [first, first + max) that exist into `out`; returns how many.
    uint32_t read(uint32_t first, jm::Entry* out, uint32_t max) const;

  private:
    mutable Spinlock lock_;
    jm::Entry entries_[jm::log_capacity] = {};
    uint32_t held_ = 0;
    uint64_t made_ = 0;
};

// The hypervisor's one log.
Log& measurement_log();

} // namespace hv::measure
