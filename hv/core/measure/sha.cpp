#include "core/measure/sha.hpp"

namespace hv::measure {
namespace {
// Zero-initialised (.bss), so usable before the global constructors run.
Sha256Blocks g_blocks;
} // namespace

void set_sha256_blocks(Sha256Blocks blocks) {
    g_blocks = blocks;
}

void InstalledBlocks::compress(uint32_t state[8], const uint8_t* blocks, size_t count) {
    if (g_blocks != nullptr)
        g_blocks(state, blocks, count);
    else
        jailconf::jcb::Sha256PortableBlocks::compress(state, blocks, count);
}

} // namespace hv::measure
