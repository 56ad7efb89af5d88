// Helpers shared by the semantic checks: address arithmetic that cannot wrap, the labels used in
// messages, and duplicate detection by sorting (never all pairs).
#pragma once

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "confgen/model.hpp"

namespace jailconf::checks {

inline constexpr uint64_t page_size = 0x1000;

// Inclusive last address of [base, base + size); nullopt when size is 0 or the range runs past
// 2^64. A range ending exactly at 2^64 (last == 0xffff'ffff'ffff'ffff) is fine.
constexpr std::optional<uint64_t> last_address(uint64_t base, uint64_t size) {
    if (size == 0 || base > UINT64_MAX - (size - 1))
        return std::nullopt;
    return base + (size - 1);
}

constexpr bool page_aligned(uint64_t v) {
    return v % page_size == 0;
}
constexpr uint64_t page_round_down(uint64_t v) {
    return v - v % page_size;
}
// Saturates instead of wrapping.
constexpr uint64_t page_round_up(uint64_t v) {
    return v % page_size == 0 ? v
                              : (v > UINT64_MAX - page_size ? v : page_round_down(v) + page_size);
}

// Arm interrupt controllers (GIC) versus the x86 APIC.
constexpr bool is_arm(Arch a) {
    return a == Arch::arm64 || a == Arch::arm32;
}

// "[0x40000000-0x7fffffff]" (inclusive).
std::string hex_range(uint64_t first, uint64_t last);
// "'ram'", or "#3" for an unnamed region.
std::string region_label(const MemoryRegion& region, size_t index);
// "region 'ram' [0x40000000-0x7fffffff] of cell 'rt'" (physical range).
std::string describe_region(const Cell& cell, size_t index);
// "33", "35-38".
std::string id_range_text(uint32_t first, uint32_t last);
// "0-3, 8, 10-11"; cut after `max_items` pieces with ", ...". Input sorted, unique.
std::string compress_ids(std::span<const uint32_t> sorted_ids, size_t max_items = 12);
// Overlapping and adjacent ranges merged; `first > last` ranges are dropped. Locations are those
// of the first range that went into each merged one.
std::vector<IdRange> merge_id_ranges(std::span<const IdRange> ranges);

// Calls on_dup(first, dup) for every element whose key equals that of an earlier element
// (by index), `first` being the earliest one with that key. O(n log n).
template <class KeyOf, class OnDup> void for_each_duplicate(size_t n, KeyOf key_of, OnDup on_dup) {
    std::vector<uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0u);
    std::ranges::stable_sort(order, [&](uint32_t a, uint32_t b) { return key_of(a) < key_of(b); });
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && !(key_of(order[i]) < key_of(order[j])))
            on_dup(order[i], order[j++]);
        i = j;
    }
}

} // namespace jailconf::checks
