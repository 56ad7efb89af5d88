// VMSAv8-64 descriptor bits for the 4 KiB granule, shared by the hypervisor's own (EL2 stage 1)
// tables and the cells' stage-2 tables: the valid/table/block encoding and the output address
// field are the same in both regimes; only the attribute bits differ (el2_attributes.hpp,
// stage2/stage2_attributes.hpp). Pure constexpr, so host unit tests use it too.
#pragma once

#include <stdint.h>

namespace hv::arm64 {

inline constexpr uint64_t desc_valid = uint64_t(1) << 0;
// Bit 1: "table" at levels 0-2, "page" at level 3; clear means block (levels 1-2).
inline constexpr uint64_t desc_table_or_page = uint64_t(1) << 1;
inline constexpr uint64_t desc_address_mask = 0x0000'ffff'ffff'f000; // bits [47:12]
// Lower and upper attribute bits of block and page descriptors: [11:2] and [63:50].
inline constexpr uint64_t desc_attribute_mask = 0xfffc'0000'0000'0ffc;

struct VmsaFormat {
    static constexpr unsigned first_block_level = 1; // 1 GiB blocks at level 1, 2 MiB at level 2

    static constexpr uint64_t table(uint64_t next) {
        return (next & desc_address_mask) | desc_table_or_page | desc_valid;
    }
    static constexpr uint64_t leaf(uint64_t output, uint64_t attributes, unsigned level) {
        uint64_t type = level == 3 ? desc_table_or_page | desc_valid : desc_valid;
        return (output & desc_address_mask) | (attributes & desc_attribute_mask) | type;
    }
    static constexpr bool is_valid(uint64_t entry) { return (entry & desc_valid) != 0; }
    static constexpr bool is_table(uint64_t entry, unsigned level) {
        return level < 3 && (entry & desc_table_or_page) != 0;
    }
    static constexpr uint64_t address(uint64_t entry) { return entry & desc_address_mask; }
    static constexpr uint64_t attributes(uint64_t entry) { return entry & desc_attribute_mask; }
};

// Attribute bits common to both regimes.
inline constexpr uint64_t attr_access_flag = uint64_t(1) << 10;    // AF: no access-flag faults
inline constexpr uint64_t attr_inner_shareable = uint64_t(3) << 8; // SH = 0b11
inline constexpr uint64_t attr_execute_never = uint64_t(1) << 54;  // XN (EL2 and stage 2, v8.0)

} // namespace hv::arm64
