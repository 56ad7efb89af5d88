// JC-MEM-VIRT-OVERLAP: within one cell, no two guest ranges may overlap. A cell's guest space holds
// its regions (at `virt`) and every link it is a peer of (at the link's `virt`). One sweep per
// cell.
#include <fmt/format.h>
#include <unordered_map>

#include "check/check_util.hpp"
#include "check/checks.hpp"
#include "check/interval_sweep.hpp"

namespace jailconf::checks {
namespace {

// For each cell, the links naming it as a peer (each link once per cell).
std::vector<std::vector<uint32_t>> links_per_cell(const System& system) {
    std::unordered_map<std::string_view, uint32_t> index;
    for (uint32_t c = 0; c < system.cells.size(); ++c)
        index.try_emplace(system.cells[c].name, c);
    std::vector<std::vector<uint32_t>> result(system.cells.size());
    for (uint32_t l = 0; l < system.links.size(); ++l) {
        for (const LinkPeer& peer : system.links[l].peers) {
            auto it = index.find(peer.cell);
            if (it == index.end())
                continue;
            auto& list = result[it->second];
            if (list.empty() || list.back() != l)
                list.push_back(l);
        }
    }
    return result;
}

void check_cell(const System& system, const Cell& cell, const std::vector<uint32_t>& links,
                Diagnostics& diags) {
    const uint32_t regions = uint32_t(cell.memory.size());
    std::vector<Interval> items;
    std::vector<uint64_t> firsts(regions + links.size()), lasts(firsts.size());
    auto add = [&](uint32_t id, uint64_t base, uint64_t size) {
        auto last = last_address(base, size);
        if (!last)
            return;
        items.push_back({base, *last, id});
        firsts[id] = base;
        lasts[id] = *last;
    };
    for (uint32_t i = 0; i < regions; ++i)
        add(i, cell.memory[i].virt.value, cell.memory[i].size);
    for (uint32_t l = 0; l < links.size(); ++l)
        add(regions + l, system.links[links[l]].virt.value, system.links[links[l]].size);

    auto describe = [&](uint32_t id) {
        std::string range = hex_range(firsts[id], lasts[id]);
        if (id < regions)
            return fmt::format("region {} guest {}", region_label(cell.memory[id], id), range);
        return fmt::format("link '{}' guest {}", system.links[links[id - regions]].name, range);
    };
    auto loc = [&](uint32_t id) -> const SourceLocation& {
        return id < regions ? cell.memory[id].loc : system.links[links[id - regions]].loc;
    };

    // Two regions mapping the same physical memory at the same offset overlap in the guest only
    // because they overlap physically: JC-MEM-OVERLAP reports that once.
    auto same_mapping = [&](uint32_t a, uint32_t b) {
        const MemoryRegion& x = cell.memory[a];
        const MemoryRegion& y = cell.memory[b];
        return x.virt.value - x.phys.value == y.virt.value - y.phys.value &&
               last_address(x.phys.value, x.size) && last_address(y.phys.value, y.size);
    };

    ConflictBudget budget(firsts.size());
    for_each_overlap(items, [&](const Interval& a, const Interval& b) {
        if (b.id < regions && same_mapping(a.id, b.id))
            return;
        // A region is the cell's own: point at it rather than at a link shared with others.
        uint32_t at = (a.id < regions && b.id >= regions) ? a.id : b.id;
        uint32_t other = at == a.id ? b.id : a.id;
        if (!budget.take(at, "JC-MEM-VIRT-OVERLAP"))
            return;
        diags.report(
            "JC-MEM-VIRT-OVERLAP", loc(at),
            fmt::format("{} of cell '{}' overlaps {}", describe(at), cell.name, describe(other)),
            fmt::format("change the virt address of {} so that it stays outside {}",
                        at < regions ? "region " + region_label(cell.memory[at], at)
                                     : "link '" + system.links[links[at - regions]].name + "'",
                        hex_range(firsts[other], lasts[other])),
            {{loc(other), "the other guest range is declared here"}});
    });
    budget.for_each_hidden([&](uint32_t id, std::string_view rule, uint32_t count) {
        diags.report(rule, loc(id),
                     fmt::format("{} of cell '{}' has {} more guest overlaps (not listed)",
                                 describe(id), cell.name, count),
                     "fix the overlaps listed above first");
    });
}

} // namespace

void check_guest_overlaps(const System& system, Diagnostics& diags) {
    auto links = links_per_cell(system);
    for (size_t c = 0; c < system.cells.size(); ++c)
        check_cell(system, system.cells[c], links[c], diags);
}

} // namespace jailconf::checks
