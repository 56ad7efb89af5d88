#include "check/check_util.hpp"

#include <fmt/format.h>

namespace jailconf::checks {

std::string hex_range(uint64_t first, uint64_t last) {
    return fmt::format("[{:#x}-{:#x}]", first, last);
}

std::string region_label(const MemoryRegion& region, size_t index) {
    if (region.name.empty())
        return fmt::format("#{}", index);
    return fmt::format("'{}'", region.name);
}

std::string describe_region(const Cell& cell, size_t index) {
    const MemoryRegion& r = cell.memory[index];
    auto last = last_address(r.phys.value, r.size);
    return fmt::format(
        "region {} {} of cell '{}'", region_label(r, index),
        last ? hex_range(r.phys.value, *last) : fmt::format("at {:#x}", r.phys.value), cell.name);
}

std::string id_range_text(uint32_t first, uint32_t last) {
    return first == last ? fmt::format("{}", first) : fmt::format("{}-{}", first, last);
}

std::string compress_ids(std::span<const uint32_t> ids, size_t max_items) {
    std::string out;
    size_t items = 0;
    for (size_t i = 0; i < ids.size();) {
        size_t j = i;
        while (j + 1 < ids.size() && ids[j + 1] == ids[j] + 1)
            ++j;
        if (items == max_items)
            return out + ", ...";
        out += (items++ ? ", " : "") + id_range_text(ids[i], ids[j]);
        i = j + 1;
    }
    return out;
}

std::vector<IdRange> merge_id_ranges(std::span<const IdRange> ranges) {
    std::vector<IdRange> sorted;
    sorted.reserve(ranges.size());
    for (const IdRange& r : ranges)
        if (r.first <= r.last)
            sorted.push_back(r);
    std::ranges::stable_sort(sorted, {}, &IdRange::first);
    std::vector<IdRange> merged;
    for (IdRange& r : sorted) {
        if (!merged.empty() &&
            (merged.back().last == UINT32_MAX || r.first <= merged.back().last + 1))
            merged.back().last = std::max(merged.back().last, r.last);
        else
            merged.push_back(std::move(r));
    }
    return merged;
}

} // namespace jailconf::checks
