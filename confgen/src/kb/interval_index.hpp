// Half-open intervals [start, end) with an id, answering "which intervals overlap [s, e)?" in
// O(log n + answers) for the mostly disjoint sets that address maps are: sorted by start, with
// the running maximum of the ends to know when to stop walking back.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace jailconf::kb {

class IntervalIndex {
  public:
    void add(int64_t start, int64_t end, uint32_t id) { items_.push_back({start, end, id}); }

    void build() {
        std::sort(items_.begin(), items_.end(), [](const Item& a, const Item& b) {
            return a.start != b.start ? a.start < b.start : a.id < b.id;
        });
        max_end_.resize(items_.size());
        int64_t m = INT64_MIN;
        for (size_t i = 0; i < items_.size(); ++i)
            max_end_[i] = m = std::max(m, items_[i].end);
    }

    // Calls f(id) for every interval overlapping [start, end); false from f stops the walk.
    template <class F> void overlapping(int64_t start, int64_t end, F&& f) const {
        size_t i = size_t(std::lower_bound(items_.begin(), items_.end(), end,
                                           [](const Item& it, int64_t v) { return it.start < v; }) -
                          items_.begin());
        while (i > 0 && max_end_[i - 1] > start) {
            --i;
            if (items_[i].end > start && items_[i].start < end && !f(items_[i].id))
                return;
        }
    }

  private:
    struct Item {
        int64_t start, end;
        uint32_t id;
    };
    std::vector<Item> items_;
    std::vector<int64_t> max_end_;
};

} // namespace jailconf::kb
