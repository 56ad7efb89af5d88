// The hypervisor measuring itself (docs/measurements.md): at its first C++ instruction, before
// anything writes .data, the SHA-256 of its image as loaded ([__text_start, __data_load_end), the
// bytes of hv.bin) and of its text + read-only data ([__text_start, __rodata_end), hv.bin's first
// bytes); once the console and the log are usable, those and the system descriptor go into the
// measurement log; then, on every tick, the incremental integrity check of text + read-only data
// (core/measure/integrity.hpp) against the boot digest.
#pragma once

#include <stdint.h>

#include "jailconf/blob_view.hpp"
#include "jailconf/measurement.hpp"

namespace hv::arm64::self_measure {

// First thing on the boot CPU (MMU off, before global constructors).
void measure_image_at_boot();
// After the system descriptor is verified: the log entries and console lines, and the integrity
// check armed.
void record_boot_measurements(const jailconf::jcb::BlobView& system);
// One integrity step (called by the tick): hashes the next chunk, reports a change.
void integrity_step();

struct IntegrityStatus {
    jailconf::measure::IntegrityState state = jailconf::measure::IntegrityState::intact;
    uint64_t passes = 0;
    uint64_t changes = 0;
    uint64_t max_step_ticks = 0; // the longest step, in counter ticks
};
IntegrityStatus integrity_status();

// Lowercase hex of a digest (65 bytes with the terminator).
void hex_of(const uint8_t* digest, char out[2 * jailconf::measure::digest_size + 1]);

} // namespace hv::arm64::self_measure
