// Page-granular address ranges for the generator: rounding, and subtracting what must stay out
// of a cell (hypervisor memory, MSI-X table pages, reserved ranges).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace jailconf::generate {

inline constexpr uint64_t page = 4096;

struct Span {
    uint64_t begin = 0; // inclusive
    uint64_t end = 0;   // exclusive
    uint64_t size() const { return end - begin; }
    bool empty() const { return end <= begin; }
    bool overlaps(const Span& o) const { return begin < o.end && o.begin < end; }
};

inline uint64_t page_down(uint64_t a) {
    return a & ~(page - 1);
}
inline uint64_t page_up(uint64_t a) {
    return a > UINT64_MAX - (page - 1) ? page_down(UINT64_MAX) : page_down(a + page - 1);
}

// The pages touched by [base, base + size).
inline Span pages_of(uint64_t base, uint64_t size) {
    uint64_t end = size > UINT64_MAX - base ? UINT64_MAX : base + size;
    return {page_down(base), page_up(end)};
}

// `from` minus every span in `holes`, in address order.
inline std::vector<Span> subtract(Span from, std::vector<Span> holes) {
    std::sort(holes.begin(), holes.end(),
              [](const Span& a, const Span& b) { return a.begin < b.begin; });
    std::vector<Span> out;
    uint64_t at = from.begin;
    for (const auto& h : holes) {
        if (h.end <= at || h.begin >= from.end)
            continue;
        if (h.begin > at)
            out.push_back({at, h.begin});
        at = std::max(at, h.end);
    }
    if (at < from.end)
        out.push_back({at, from.end});
    return out;
}

} // namespace jailconf::generate
