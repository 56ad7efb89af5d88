// Overlap detection by sort and sweep: every pair of intersecting intervals is found once in
// O(n log n + k) time for n intervals and k intersecting pairs, never by comparing all pairs.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

namespace jailconf::checks {

// An inclusive range [first, last], so that a range ending at 2^64 is representable.
struct Interval {
    uint64_t first = 0;
    uint64_t last = 0;
    uint32_t id = 0; // the caller's handle; distinct per interval
};

// Calls on_overlap(a, b) once for each pair of intervals that share at least one value, with
// a.id < b.id. Reorders `items`.
//
// Items are visited by ascending start; the active set holds the intervals that started earlier
// and have not ended yet (a min-heap on `last`). Ended ones are dropped before an item is
// compared, so every interval still active overlaps it: the enumeration costs exactly the pairs
// reported.
template <class OnOverlap>
void for_each_overlap(std::vector<Interval>& items, OnOverlap on_overlap) {
    std::ranges::sort(items, [](const Interval& a, const Interval& b) {
        return a.first != b.first ? a.first < b.first : a.id < b.id;
    });
    auto later_end = [](const Interval& a, const Interval& b) { return a.last > b.last; };
    std::vector<Interval> active;
    for (const Interval& item : items) {
        while (!active.empty() && active.front().last < item.first) {
            std::ranges::pop_heap(active, later_end);
            active.pop_back();
        }
        for (const Interval& other : active) {
            if (other.id < item.id)
                on_overlap(other, item);
            else
                on_overlap(item, other);
        }
        active.push_back(item);
        std::ranges::push_heap(active, later_end);
    }
}

// Bounds the output of a sweep: at most `max_listed` conflicts are reported per offending element;
// the rest are counted and summarised once per element by the caller.
class ConflictBudget {
  public:
    static constexpr uint32_t max_listed = 16;

    explicit ConflictBudget(size_t elements) : listed_(elements, 0), hidden_(elements, 0) {}

    // True if the conflict at `element` should be reported in full.
    bool take(uint32_t element, std::string_view rule) {
        if (listed_[element] < max_listed) {
            ++listed_[element];
            return true;
        }
        if (hidden_[element]++ == 0)
            hidden_rules_.emplace_back(element, rule);
        return false;
    }

    // on_hidden(element, rule, count) for every element with conflicts not reported in full.
    template <class F> void for_each_hidden(F on_hidden) const {
        for (auto [element, rule] : hidden_rules_)
            on_hidden(element, rule, hidden_[element]);
    }

  private:
    std::vector<uint32_t> listed_;
    std::vector<uint32_t> hidden_;
    std::vector<std::pair<uint32_t, std::string_view>> hidden_rules_;
};

} // namespace jailconf::checks
