// The SHA-256 the hypervisor measures with: FIPS 180-4 (jailconf/sha256.hpp) with a block
// function the arch may replace once at boot (arm64: the Armv8 SHA-256 instructions when the CPU
// has them, arch/arm64/measure/sha256_ce.S), the portable one until then and in host tests.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "jailconf/sha256.hpp"

namespace hv::measure {

using Sha256Blocks = void (*)(uint32_t state[8], const uint8_t* blocks, size_t count);

// Installs `blocks` (nullptr: back to the portable function). Call before other CPUs hash.
void set_sha256_blocks(Sha256Blocks blocks);

struct InstalledBlocks {
    static void compress(uint32_t state[8], const uint8_t* blocks, size_t count);
};

using Sha256 = jailconf::jcb::BasicSha256<InstalledBlocks>;

} // namespace hv::measure
