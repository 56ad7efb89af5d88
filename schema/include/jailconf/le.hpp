// Explicit little-endian integer fields for the binary descriptor. Each is a byte array, so a
// struct built from them has alignment 1, no padding and the same bytes on every host, and it can
// be read from any address even with -mstrict-align. Freestanding: usable at EL2.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace jailconf::jcb {

template <class T, size_t N> struct LeInt {
    static_assert(sizeof(T) == N);
    uint8_t b[N];

    constexpr T get() const {
        T v = 0;
        for (size_t i = 0; i < N; ++i)
            v = T(v | T(T(b[i]) << (8 * i)));
        return v;
    }
    constexpr void set(T v) {
        for (size_t i = 0; i < N; ++i)
            b[i] = uint8_t(v >> (8 * i));
    }
    static constexpr LeInt of(T v) {
        LeInt r{};
        r.set(v);
        return r;
    }
};

using Le16 = LeInt<uint16_t, 2>;
using Le32 = LeInt<uint32_t, 4>;
using Le64 = LeInt<uint64_t, 8>;

static_assert(sizeof(Le16) == 2 && alignof(Le16) == 1);
static_assert(sizeof(Le32) == 4 && alignof(Le32) == 1);
static_assert(sizeof(Le64) == 8 && alignof(Le64) == 1);
static_assert(Le32::of(0x11223344).b[0] == 0x44 && Le32::of(0x11223344).get() == 0x11223344);

// Reads little-endian values straight from a byte buffer (used before a struct is known valid).
constexpr uint16_t load_le16(const uint8_t* p) {
    return uint16_t(p[0] | p[1] << 8);
}
constexpr uint32_t load_le32(const uint8_t* p) {
    return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}
constexpr void store_le32(uint8_t* p, uint32_t v) {
    for (int i = 0; i < 4; ++i)
        p[i] = uint8_t(v >> (8 * i));
}

} // namespace jailconf::jcb
