// Bounded little-endian reads from a table image. ACPI is little-endian on every platform, so the
// fields are assembled byte by byte instead of reinterpreting memory (no alignment or host-order
// assumptions). Parsers check a structure's length before reading its fields; a read outside the
// view still returns 0 rather than touching memory, so a missed check cannot become an overread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace jailconf::scan::acpi {

inline bool fits(std::string_view bytes, size_t offset, size_t length) {
    return offset <= bytes.size() && length <= bytes.size() - offset;
}

inline uint64_t read_le(std::string_view bytes, size_t offset, size_t width) {
    if (!fits(bytes, offset, width))
        return 0;
    uint64_t value = 0;
    for (size_t i = width; i-- > 0;)
        value = (value << 8) | static_cast<uint8_t>(bytes[offset + i]);
    return value;
}

inline uint8_t u8(std::string_view b, size_t off) {
    return static_cast<uint8_t>(read_le(b, off, 1));
}
inline uint16_t u16(std::string_view b, size_t off) {
    return static_cast<uint16_t>(read_le(b, off, 2));
}
inline uint32_t u32(std::string_view b, size_t off) {
    return static_cast<uint32_t>(read_le(b, off, 4));
}
inline uint64_t u64(std::string_view b, size_t off) {
    return read_le(b, off, 8);
}

// A fixed-width text field (signature, OEM ids): bytes up to the first NUL, trailing blanks
// dropped, since firmware pads these with either.
inline std::string fixed_text(std::string_view bytes, size_t offset, size_t width) {
    if (!fits(bytes, offset, width))
        return {};
    std::string_view field = bytes.substr(offset, width);
    field = field.substr(0, field.find('\0'));
    while (!field.empty() && field.back() == ' ')
        field.remove_suffix(1);
    return std::string(field);
}

} // namespace jailconf::scan::acpi
