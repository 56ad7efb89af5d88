// The periodic integrity check of the hypervisor's own text and read-only data: each tick hashes
// the next bounded chunk (so a tick stays short), and at the end of each pass compares the digest
// with the boot measurement. A change is found within two passes of being made (the pass running
// when it is made may already have hashed that chunk). Arch-neutral, host-tested
// (tests/unit/hv_measurement_test.cpp); hv/arch/arm64/monitor/tick.cpp drives it.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/measure/sha.hpp"
#include "jailconf/measurement.hpp"

namespace hv::measure {

class IntegrityCheck {
  public:
    // Bytes hashed per step unless told otherwise: 2 KiB (32 SHA-256 blocks), about 90 000
    // instructions in portable code (bench/hv_bench.py prints the cost).
    static constexpr size_t default_chunk = 2048;

    // `data`/`size`: the range to watch; `reference`: its digest at boot.
    void start(const uint8_t* data, size_t size,
               const uint8_t reference[jailconf::measure::digest_size],
               size_t chunk = default_chunk);

    struct Step {
        bool pass_done = false; // this step finished a pass
        bool changed = false;   // ... and its digest differs from the reference
        uint8_t digest[jailconf::measure::digest_size] = {};
    };
    // Hashes the next chunk; does nothing before start().
    Step step();

    bool started() const { return data_ != nullptr; }
    uint64_t passes() const { return passes_; }
    uint64_t changes() const { return changes_; }
    const uint8_t* data() const { return data_; }
    size_t size() const { return size_; }
    size_t chunk() const { return chunk_; }

  private:
    const uint8_t* data_ = nullptr;
    size_t size_ = 0;
    size_t chunk_ = default_chunk;
    size_t offset_ = 0;
    Sha256 sha_;
    uint8_t reference_[jailconf::measure::digest_size] = {};
    uint64_t passes_ = 0;
    uint64_t changes_ = 0;
};

} // namespace hv::measure
