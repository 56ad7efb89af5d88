// Writes the integrity fields of a descriptor whose other bytes are final: the payload SHA-256,
// the payload CRC-32C, then the header CRC-32C (which covers the other two). Used by confgen
// after laying out a blob; tests use it to re-seal a deliberately altered blob so that the
// verifier reaches the check they aim at.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "jailconf/crc32c.hpp"
#include "jailconf/format.hpp"
#include "jailconf/sha256.hpp"
#include "jailconf/verify_header.hpp"

namespace jailconf::jcb {

// `size` is the number of bytes at `data`; the payload runs from the header to the smaller of
// `size` and the header's total_size. Does nothing to a buffer shorter than the header.
inline void seal(uint8_t* data, size_t size) {
    if (size < sizeof(Header))
        return;
    size_t end = load_le32(data + offsetof(Header, total_size));
    if (end > size || end < sizeof(Header))
        end = size;
    const uint8_t* payload = data + sizeof(Header);
    const size_t payload_size = end - sizeof(Header);
    sha256(payload, payload_size, data + offsetof(Header, payload_sha256));
    store_le32(data + offsetof(Header, payload_crc32c), crc32c(payload, payload_size));
    store_le32(data + offsetof(Header, header_crc32c), header_crc(data));
}

} // namespace jailconf::jcb
