// Explicit big-endian reads: device-tree data is big-endian whatever the host is. Callers check
// the bounds; these only assemble bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace jailconf::scan::dt {

inline uint32_t be32(std::string_view s, size_t off) {
    auto b = [&](size_t i) { return uint32_t(static_cast<unsigned char>(s[off + i])); };
    return b(0) << 24 | b(1) << 16 | b(2) << 8 | b(3);
}

inline uint64_t be64(std::string_view s, size_t off) {
    return uint64_t(be32(s, off)) << 32 | be32(s, off + 4);
}

} // namespace jailconf::scan::dt
