// Bounds-checked little-endian reads from a config-space image. A read past the end yields
// nothing instead of reading beyond the buffer: callers check `has()` first or take the
// optional.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace jailconf::scan::pci {

class ConfigReader {
  public:
    explicit ConfigReader(std::string_view bytes) : bytes_(bytes) {}

    size_t size() const { return bytes_.size(); }
    bool has(size_t offset, size_t length) const {
        return offset <= bytes_.size() && length <= bytes_.size() - offset;
    }
    std::optional<uint8_t> u8(size_t offset) const {
        if (!has(offset, 1))
            return std::nullopt;
        return static_cast<uint8_t>(bytes_[offset]);
    }
    std::optional<uint16_t> u16(size_t offset) const {
        if (!has(offset, 2))
            return std::nullopt;
        return static_cast<uint16_t>(byte(offset) | byte(offset + 1) << 8);
    }
    std::optional<uint32_t> u32(size_t offset) const {
        if (!has(offset, 4))
            return std::nullopt;
        return static_cast<uint32_t>(byte(offset) | byte(offset + 1) << 8 | byte(offset + 2) << 16 |
                                     uint32_t(byte(offset + 3)) << 24);
    }

  private:
    uint32_t byte(size_t offset) const { return static_cast<uint8_t>(bytes_[offset]); }
    std::string_view bytes_;
};

} // namespace jailconf::scan::pci
