// The flattened device tree format (devicetree specification v0.4, chapter 5), shared by the
// scanner's reader (scan/dt) and the guest tree writer (guest_dt): the header's magic and
// versions, the structure block's tokens, the size bound, and explicit big-endian numbers
// (device-tree data is big-endian whatever the host is). Readers check the bounds; these
// helpers only assemble bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace jailconf::fdt {

inline constexpr uint32_t magic = 0xd00dfeed;
inline constexpr uint32_t version = 17;
inline constexpr uint32_t last_compatible_version = 16;
inline constexpr uint32_t token_begin_node = 1;
inline constexpr uint32_t token_end_node = 2;
inline constexpr uint32_t token_prop = 3;
inline constexpr uint32_t token_nop = 4;
inline constexpr uint32_t token_end = 9;
inline constexpr size_t header_size = 40;
// Blobs read or written: far above any real board's tree (the largest in Debian's kernel
// package is well under 1 MiB), small enough to hold in memory.
inline constexpr size_t max_blob_size = 64u << 20;

inline uint32_t be32(std::string_view s, size_t off) {
    auto b = [&](size_t i) { return uint32_t(static_cast<unsigned char>(s[off + i])); };
    return b(0) << 24 | b(1) << 16 | b(2) << 8 | b(3);
}

inline uint64_t be64(std::string_view s, size_t off) {
    return uint64_t(be32(s, off)) << 32 | be32(s, off + 4);
}

// Appends v big-endian to a byte container (std::string or std::vector<uint8_t>).
template <typename Bytes> void append_be32(Bytes& out, uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<typename Bytes::value_type>((v >> shift) & 0xff));
}

} // namespace jailconf::fdt
