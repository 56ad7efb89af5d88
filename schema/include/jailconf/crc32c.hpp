// CRC-32C (Castagnoli): reflected polynomial 0x82F63B78, initial value and final XOR 0xFFFFFFFF,
// as in iSCSI (RFC 3720) and ext4. Table-driven, the table built at compile time. Freestanding.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace jailconf::jcb {

namespace crc32c_detail {

inline constexpr uint32_t reflected_poly = 0x82f63b78u;

struct Table {
    uint32_t v[256];
};

constexpr Table make_table() {
    Table t{};
    for (uint32_t i = 0; i < 256; ++i) {
        uint32_t c = i;
        for (int k = 0; k < 8; ++k)
            c = (c & 1) ? (c >> 1) ^ reflected_poly : c >> 1;
        t.v[i] = c;
    }
    return t;
}

inline constexpr Table table = make_table();

} // namespace crc32c_detail

// Incremental form: start with crc32c_init, feed with crc32c_update, end with crc32c_final.
inline constexpr uint32_t crc32c_init = 0xffffffffu;

constexpr uint32_t crc32c_update(uint32_t state, const uint8_t* data, size_t size) {
    for (size_t i = 0; i < size; ++i)
        state = crc32c_detail::table.v[(state ^ data[i]) & 0xff] ^ (state >> 8);
    return state;
}

constexpr uint32_t crc32c_final(uint32_t state) {
    return state ^ 0xffffffffu;
}

constexpr uint32_t crc32c(const uint8_t* data, size_t size) {
    return crc32c_final(crc32c_update(crc32c_init, data, size));
}

} // namespace jailconf::jcb
