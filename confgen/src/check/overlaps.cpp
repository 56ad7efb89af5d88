// Physical overlaps, found in one sweep over every cell region, every link and the hypervisor's
// memory: JC-MEM-OVERLAP (same cell), JC-MEM-CELL-OVERLAP (two cells without consent),
// JC-MEM-HV-OVERLAP and JC-LINK-OVERLAP. Ranges that are empty or wrap are left out; their own
// rule (memory.cpp, links.cpp) reports them.
#include <fmt/format.h>

#include "check/check_util.hpp"
#include "check/checks.hpp"
#include "check/interval_sweep.hpp"

namespace jailconf::checks {
namespace {

enum class Kind : uint8_t { region, link, hypervisor };

struct Element {
    Kind kind;
    uint32_t owner; // cell index for a region, link index for a link
    uint32_t index; // region index within the cell
    uint64_t first;
    uint64_t last;
};

class PhysicalSweep {
  public:
    PhysicalSweep(const System& system, Diagnostics& diags) : sys_(system), diags_(diags) {}

    void run() {
        std::vector<Interval> items;
        // Ids follow declaration order (cells, then links, then the hypervisor), so the later
        // element of a pair is the one a diagnostic points at.
        for (uint32_t c = 0; c < sys_.cells.size(); ++c) {
            const Cell& cell = sys_.cells[c];
            for (uint32_t i = 0; i < cell.memory.size(); ++i)
                add(items, Kind::region, c, i, cell.memory[i].phys.value, cell.memory[i].size);
        }
        for (uint32_t l = 0; l < sys_.links.size(); ++l)
            add(items, Kind::link, l, 0, sys_.links[l].phys.value, sys_.links[l].size);
        add(items, Kind::hypervisor, 0, 0, sys_.hypervisor.memory_phys.value,
            sys_.hypervisor.memory_size);

        ConflictBudget budget(elements_.size());
        for_each_overlap(items, [&](const Interval& a, const Interval& b) {
            const Element& x = elements_[a.id];
            const Element& y = elements_[b.id];
            if (y.kind == Kind::hypervisor)
                hypervisor_pair(budget, a.id, x, y);
            else if (y.kind == Kind::link)
                link_pair(budget, b.id, y, x);
            else if (x.owner == y.owner)
                same_cell_pair(budget, b.id, y, x);
            else
                cell_pair(budget, a.id, b.id);
        });
        budget.for_each_hidden([&](uint32_t id, std::string_view rule, uint32_t count) {
            diags_.report(
                rule, loc(elements_[id]),
                fmt::format("{} has {} more overlaps (not listed)", describe(elements_[id]), count),
                "fix the overlaps listed above first; the others are probably the same "
                "mistake");
        });
    }

  private:
    void add(std::vector<Interval>& items, Kind kind, uint32_t owner, uint32_t index, uint64_t base,
             uint64_t size) {
        auto last = last_address(base, size);
        if (!last)
            return;
        items.push_back({base, *last, uint32_t(elements_.size())});
        elements_.push_back({kind, owner, index, base, *last});
    }

    const MemoryRegion& region(const Element& e) const {
        return sys_.cells[e.owner].memory[e.index];
    }
    const Cell& cell(const Element& e) const { return sys_.cells[e.owner]; }

    const SourceLocation& loc(const Element& e) const {
        switch (e.kind) {
        case Kind::region:
            return region(e).loc;
        case Kind::link:
            return sys_.links[e.owner].loc;
        case Kind::hypervisor:
            break;
        }
        return sys_.hypervisor.memory_loc;
    }

    std::string describe(const Element& e) const {
        switch (e.kind) {
        case Kind::region:
            return describe_region(cell(e), e.index);
        case Kind::link:
            return fmt::format("link '{}' {}", sys_.links[e.owner].name,
                               hex_range(e.first, e.last));
        case Kind::hypervisor:
            break;
        }
        return fmt::format("hypervisor memory {}", hex_range(e.first, e.last));
    }

    void hypervisor_pair(ConflictBudget& budget, uint32_t id, const Element& e, const Element& hv) {
        std::string_view rule = e.kind == Kind::link ? "JC-LINK-OVERLAP" : "JC-MEM-HV-OVERLAP";
        if (!budget.take(id, rule))
            return;
        std::string what = e.kind == Kind::link
                               ? fmt::format("link '{}'", sys_.links[e.owner].name)
                               : fmt::format("region {} of cell '{}'",
                                             region_label(region(e), e.index), cell(e).name);
        std::string fix;
        if (e.first < hv.first && e.last > hv.last)
            fix = fmt::format("split {} into two ranges that leave out {}", what,
                              hex_range(hv.first, hv.last));
        else if (e.first < hv.first)
            fix = fmt::format("shrink {} to size {:#x} so that it ends below {:#x}", what,
                              hv.first - e.first, hv.first);
        else if (hv.last != UINT64_MAX)
            fix = fmt::format("move {} to start at or above {:#x}", what, hv.last + 1);
        else
            fix = fmt::format("move {} below {:#x}", what, hv.first);
        diags_.report(rule, loc(e), fmt::format("{} overlaps {}", describe(e), describe(hv)), fix,
                      {{loc(hv), "hypervisor memory is declared here"}});
    }

    void link_pair(ConflictBudget& budget, uint32_t id, const Element& link, const Element& other) {
        if (!budget.take(id, "JC-LINK-OVERLAP"))
            return;
        diags_.report("JC-LINK-OVERLAP", loc(link),
                      fmt::format("{} overlaps {}", describe(link), describe(other)),
                      fmt::format("move link '{}' to physical memory of its own, outside {}",
                                  sys_.links[link.owner].name, hex_range(other.first, other.last)),
                      {{loc(other), other.kind == Kind::link ? "the other link is declared here"
                                                             : "the region is declared here"}});
    }

    void same_cell_pair(ConflictBudget& budget, uint32_t id, const Element& e,
                        const Element& other) {
        if (!budget.take(id, "JC-MEM-OVERLAP"))
            return;
        std::string label = region_label(region(e), e.index);
        std::string other_label = region_label(region(other), other.index);
        diags_.report("JC-MEM-OVERLAP", loc(e),
                      fmt::format("{} overlaps region {} {} of the same cell", describe(e),
                                  other_label, hex_range(other.first, other.last)),
                      fmt::format("merge regions {} and {} into one, or move {} outside {}",
                                  other_label, label, label, hex_range(other.first, other.last)),
                      {{loc(other), fmt::format("region {} is declared here", other_label)}});
    }

    void cell_pair(ConflictBudget& budget, uint32_t a, uint32_t b) {
        const Element& x = elements_[a];
        const Element& y = elements_[b];
        uint32_t xf = region(x).flags, yf = region(y).flags;
        if ((xf & mem_shared) && (yf & mem_shared))
            return;
        const bool x_root = cell(x).root, y_root = cell(y).root;
        if ((x_root && !y_root && (yf & mem_rootshared)) ||
            (y_root && !x_root && (xf & mem_rootshared)))
            return;
        // Point at the non-root side when one is the root cell: that cell takes the memory.
        bool point_at_x = x_root != y_root && y_root;
        uint32_t id = point_at_x ? a : b;
        const Element& e = point_at_x ? x : y;
        const Element& other = point_at_x ? y : x;
        if (!budget.take(id, "JC-MEM-CELL-OVERLAP"))
            return;
        std::string what =
            fmt::format("region {} of cell '{}'", region_label(region(e), e.index), cell(e).name);
        std::string fix =
            x_root != y_root
                ? fmt::format("move {} outside {}, or add flag `rootshared` to it to share it "
                              "with root cell '{}'",
                              what, hex_range(other.first, other.last), cell(other).name)
                : fmt::format("move {} outside {}, or add flag `shared` to both regions if the "
                              "cells must share it (a link is the usual way)",
                              what, hex_range(other.first, other.last));
        diags_.report("JC-MEM-CELL-OVERLAP", loc(e),
                      fmt::format("{} overlaps {}", describe(e), describe(other)), fix,
                      {{loc(other),
                        fmt::format("region {} of cell '{}' is declared here",
                                    region_label(region(other), other.index), cell(other).name)}});
    }

    const System& sys_;
    Diagnostics& diags_;
    std::vector<Element> elements_;
};

} // namespace

void check_physical_overlaps(const System& system, Diagnostics& diags) {
    PhysicalSweep(system, diags).run();
}

} // namespace jailconf::checks
