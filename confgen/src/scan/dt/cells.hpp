// Reading a property as a sequence of big-endian 32-bit cells, a group of cells at a time, with
// the end of the property as the bound of every read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "fdt/fdt_format.hpp"

namespace jailconf::scan::dt {

// Addresses of up to 4 cells (PCI uses 3) fit; wider numbers are refused by the readers.
using u128 = unsigned __int128;
inline constexpr uint32_t max_number_cells = 4;

class Cells {
  public:
    explicit Cells(std::string_view bytes) : bytes_(bytes) {}

    size_t remaining() const { return (bytes_.size() - pos_) / 4; }
    bool done() const { return remaining() == 0; }
    size_t cell_index() const { return pos_ / 4; }

    bool u32(uint32_t& out) {
        if (remaining() < 1)
            return false;
        out = fdt::be32(bytes_, pos_);
        pos_ += 4;
        return true;
    }
    // `count` cells as one number, most significant first.
    bool number(uint32_t count, u128& out) {
        if (count > max_number_cells || remaining() < count)
            return false;
        out = 0;
        for (uint32_t i = 0; i < count; ++i) {
            out = out << 32 | fdt::be32(bytes_, pos_);
            pos_ += 4;
        }
        return true;
    }
    bool take(uint32_t count, std::vector<uint32_t>& out) {
        if (remaining() < count)
            return false;
        out.clear();
        for (uint32_t i = 0; i < count; ++i) {
            out.push_back(fdt::be32(bytes_, pos_));
            pos_ += 4;
        }
        return true;
    }

  private:
    std::string_view bytes_;
    size_t pos_ = 0;
};

} // namespace jailconf::scan::dt
