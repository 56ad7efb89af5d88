// JC-CPU-DUP and JC-IRQ-DUP: one sweep over the id ranges of all cells finds every id owned by
// two cells. Repeats within one cell are harmless and not reported.
#include <algorithm>
#include <fmt/format.h>

#include "check/check_util.hpp"
#include "check/checks.hpp"
#include "check/interval_sweep.hpp"

namespace jailconf::checks {

void check_shared_ids(const System& system, const SharedIdKind& kind, Diagnostics& diags) {
    struct Owner {
        uint32_t cell;
        const IdRange* range;
    };
    std::vector<Owner> owners;
    std::vector<Interval> items;
    for (uint32_t c = 0; c < system.cells.size(); ++c) {
        for (const IdRange& r : system.cells[c].*kind.ids) {
            if (r.first > r.last)
                continue;
            items.push_back({r.first, r.last, uint32_t(owners.size())});
            owners.push_back({c, &r});
        }
    }
    ConflictBudget budget(owners.size());
    for_each_overlap(items, [&](const Interval& a, const Interval& b) {
        const Owner& first = owners[a.id];
        const Owner& dup = owners[b.id];
        if (first.cell == dup.cell || !budget.take(b.id, kind.rule))
            return;
        const Cell& first_cell = system.cells[first.cell];
        const Cell& dup_cell = system.cells[dup.cell];
        uint32_t lo = std::max(first.range->first, dup.range->first);
        uint32_t hi = std::min(first.range->last, dup.range->last);
        std::string ids = id_range_text(lo, hi);
        diags.report(
            kind.rule, dup.range->loc,
            fmt::format("{}{} {} of cell '{}' {} also assigned to cell '{}'", kind.noun,
                        lo == hi ? "" : "s", ids, dup_cell.name, lo == hi ? "is" : "are",
                        first_cell.name),
            fmt::format("remove {}{} {} from cell '{}' or from cell '{}'", kind.noun,
                        lo == hi ? "" : "s", ids, dup_cell.name, first_cell.name),
            {{first.range->loc, fmt::format("assigned to cell '{}' here", first_cell.name)}});
    });
    budget.for_each_hidden([&](uint32_t id, std::string_view rule, uint32_t count) {
        diags.report(rule, owners[id].range->loc,
                     fmt::format("{} range {} of cell '{}' conflicts with {} more {} ranges of "
                                 "other cells (not listed)",
                                 kind.noun,
                                 id_range_text(owners[id].range->first, owners[id].range->last),
                                 system.cells[owners[id].cell].name, count, kind.noun),
                     fmt::format("give each {} to exactly one cell", kind.noun));
    });
}

} // namespace jailconf::checks
