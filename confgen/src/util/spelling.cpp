#include "util/spelling.hpp"

#include <algorithm>
#include <vector>

namespace jailconf {
namespace {

size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1])});
            diag = up;
        }
    }
    return row[b.size()];
}

} // namespace

std::string closest_name(std::string_view name, std::span<const std::string_view> candidates,
                         size_t max_edits) {
    std::string_view best;
    size_t best_distance = max_edits + 1;
    for (std::string_view c : candidates) {
        // The length difference alone bounds the distance from below: skip hopeless ones.
        size_t gap = c.size() > name.size() ? c.size() - name.size() : name.size() - c.size();
        if (gap >= best_distance)
            continue;
        size_t d = edit_distance(name, c);
        if (d < best_distance) {
            best_distance = d;
            best = c;
        }
    }
    return std::string(best);
}

} // namespace jailconf
