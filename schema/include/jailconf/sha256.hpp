// SHA-256 as specified in FIPS 180-4, section 6.2. Used to record (confgen) and check (verifier)
// the measurement of a descriptor, and by the hypervisor to measure images. Freestanding: no
// allocation, no libc; portable C++ so it runs with -mgeneral-regs-only. The block function is a
// template parameter so the hypervisor can plug in the Armv8 SHA-256 instructions
// (hv/core/measure/sha.hpp) while everything else uses the portable one.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace jailconf::jcb {

// The portable compression function: FIPS 180-4 6.2.2 over `count` 64-byte blocks.
struct Sha256PortableBlocks {
    static constexpr uint32_t rotr(uint32_t x, unsigned n) { return (x >> n) | (x << (32 - n)); }

    // FIPS 180-4 4.2.2: the first 32 bits of the fractional parts of the cube roots of the first
    // 64 primes.
    static constexpr uint32_t k[64] = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    };

    // Message schedule, then 64 rounds on the working variables a..h, per block.
    static constexpr void compress(uint32_t h_[8], const uint8_t* block, size_t count) {
        for (; count != 0; --count, block += 64) {
            uint32_t w[64];
            for (size_t t = 0; t < 16; ++t)
                w[t] = uint32_t(block[4 * t]) << 24 | uint32_t(block[4 * t + 1]) << 16 |
                       uint32_t(block[4 * t + 2]) << 8 | uint32_t(block[4 * t + 3]);
            for (size_t t = 16; t < 64; ++t) {
                uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
                uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
                w[t] = w[t - 16] + s0 + w[t - 7] + s1;
            }
            uint32_t a = h_[0], b = h_[1], c = h_[2], d = h_[3];
            uint32_t e = h_[4], f = h_[5], g = h_[6], h = h_[7];
            for (size_t t = 0; t < 64; ++t) {
                uint32_t sum1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
                uint32_t choose = (e & f) ^ (~e & g);
                uint32_t t1 = h + sum1 + choose + k[t] + w[t];
                uint32_t sum0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
                uint32_t majority = (a & b) ^ (a & c) ^ (b & c);
                uint32_t t2 = sum0 + majority;
                h = g;
                g = f;
                f = e;
                e = d + t1;
                d = c;
                c = b;
                b = a;
                a = t1 + t2;
            }
            h_[0] += a;
            h_[1] += b;
            h_[2] += c;
            h_[3] += d;
            h_[4] += e;
            h_[5] += f;
            h_[6] += g;
            h_[7] += h;
        }
    }
};

// `Blocks::compress(uint32_t state[8], const uint8_t* blocks, size_t count)` hashes whole blocks.
template <class Blocks> class BasicSha256 {
  public:
    static constexpr size_t digest_size = 32;
    static constexpr size_t block_size = 64;

    constexpr BasicSha256() = default;

    constexpr void update(const uint8_t* data, size_t size) {
        total_bytes_ += size;
        if (buffered_ != 0) {
            size_t take = block_size - buffered_;
            if (take > size)
                take = size;
            for (size_t i = 0; i < take; ++i)
                buffer_[buffered_ + i] = data[i];
            buffered_ += take;
            data += take;
            size -= take;
            if (buffered_ < block_size)
                return;
            Blocks::compress(h_, buffer_, 1);
            buffered_ = 0;
        }
        // Whole blocks straight from the input, in one call (no copy through buffer_).
        const size_t whole = size / block_size;
        if (whole != 0)
            Blocks::compress(h_, data, whole);
        data += whole * block_size;
        size -= whole * block_size;
        for (size_t i = 0; i < size; ++i)
            buffer_[i] = data[i];
        buffered_ = size;
    }

    // Pads (FIPS 180-4 5.1.1: a 1 bit, zeros, the 64-bit message length in bits) and writes the
    // big-endian digest. The object must not be updated afterwards.
    constexpr void finish(uint8_t out[digest_size]) {
        const uint64_t bit_length = total_bytes_ * 8;
        // The last one or two blocks: the buffered bytes, 0x80, zeros, the length at the end.
        uint8_t tail[2 * block_size] = {};
        const size_t n = buffered_ % block_size; // always below block_size
        for (size_t i = 0; i < n; ++i)
            tail[i] = buffer_[i];
        tail[n] = 0x80;
        const size_t blocks = n + 1 + 8 > block_size ? 2 : 1;
        for (size_t i = 0; i < 8; ++i)
            tail[blocks * block_size - 1 - i] = uint8_t(bit_length >> (8 * i));
        Blocks::compress(h_, tail, blocks);
        for (size_t i = 0; i < 8; ++i)
            for (size_t k = 0; k < 4; ++k)
                out[4 * i + k] = uint8_t(h_[i] >> (24 - 8 * k));
    }

  private:
    // FIPS 180-4 5.3.3: the initial hash value.
    uint32_t h_[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                      0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    uint8_t buffer_[block_size] = {};
    size_t buffered_ = 0;
    uint64_t total_bytes_ = 0;
};

using Sha256 = BasicSha256<Sha256PortableBlocks>;

constexpr void sha256(const uint8_t* data, size_t size, uint8_t out[Sha256::digest_size]) {
    Sha256 s;
    s.update(data, size);
    s.finish(out);
}

} // namespace jailconf::jcb
