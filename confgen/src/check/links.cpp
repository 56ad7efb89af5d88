// Links on their own: JC-LINK-PEER (JC-LINK-LATER-PEER in a root-only system), JC-LINK-NAME-DUP,
// JC-LINK-ALIGN, JC-LINK-DOORBELL, and JC-MEM-OVERFLOW for a link range that wraps. Overlaps with
// other memory are in overlaps.cpp and guest_overlaps.cpp.
#include <algorithm>
#include <fmt/format.h>
#include <unordered_map>
#include <unordered_set>

#include "check/check_util.hpp"
#include "check/checks.hpp"
#include "util/spelling.hpp"

namespace jailconf::checks {
namespace {

std::string unknown_peer_fix(const System& system, std::string_view name) {
    std::vector<std::string_view> cell_names;
    for (const Cell& cell : system.cells)
        cell_names.push_back(cell.name);
    if (std::string closest = closest_name(name, cell_names, 2); !closest.empty())
        return fmt::format("did you mean cell '{}'?", closest);
    if (system.cells.size() <= 8) {
        std::string names;
        for (const Cell& cell : system.cells)
            names += fmt::format("{}'{}'", names.empty() ? "" : ", ", cell.name);
        return fmt::format("use the name of a cell: {}", names);
    }
    return "use the name of a cell declared under `cells:`";
}

using NameSet = std::unordered_set<std::string_view>;

// The boot view of a system whose other cells the root creates at run time.
bool root_only(const System& system) {
    return system.cells.size() == 1 && system.cells.front().root;
}

// JC-LINK-DOORBELL: a doorbell is the link's own virtual interrupt.
void check_doorbells(const System& system, Diagnostics& diags) {
    std::unordered_map<uint32_t, const Link*> rung;
    for (const Link& link : system.links) {
        if (!link.doorbell_irq)
            continue;
        const uint32_t irq = *link.doorbell_irq;
        for (const Cell& cell : system.cells) {
            for (const IdRange& r : cell.irqs) {
                if (r.first <= irq && irq <= r.last)
                    diags.report("JC-LINK-DOORBELL", link.loc,
                                 fmt::format("link '{}': doorbell_irq {} is owned by cell '{}'",
                                             link.name, irq, cell.name),
                                 "pick an interrupt no cell owns for the doorbell",
                                 {{r.loc, fmt::format("cell '{}' owns it here", cell.name)}});
            }
        }
        auto [it, fresh] = rung.try_emplace(irq, &link);
        if (!fresh)
            diags.report(
                "JC-LINK-DOORBELL", link.loc,
                fmt::format("links '{}' and '{}' both ring doorbell_irq {}", it->second->name,
                            link.name, irq),
                "give each link its own doorbell interrupt",
                {{it->second->loc, fmt::format("link '{}' rings it too", it->second->name)}});
    }
}

void check_peers(const System& system, const NameSet& cells, const Link& link, Diagnostics& diags) {
    std::unordered_map<std::string_view, const LinkPeer*> seen;
    for (const LinkPeer& peer : link.peers) {
        auto [it, fresh] = seen.try_emplace(peer.cell, &peer);
        if (!fresh) {
            diags.report("JC-LINK-PEER", peer.loc,
                         fmt::format("link '{}' names peer '{}' twice", link.name, peer.cell),
                         fmt::format("remove the second '{}' from `peers`", peer.cell),
                         {{it->second->loc, "first named here"}});
            continue;
        }
        if (!cells.contains(peer.cell) && root_only(system))
            diags.report("JC-LINK-LATER-PEER", peer.loc,
                         fmt::format("link '{}' names peer '{}', which is not a cell of this file: "
                                     "taken as a cell the root creates at run time",
                                     link.name, peer.cell),
                         "make sure the root creates a cell of exactly this name");
        else if (!cells.contains(peer.cell))
            diags.report(
                "JC-LINK-PEER", peer.loc,
                fmt::format("link '{}' names peer '{}', which is not a cell", link.name, peer.cell),
                unknown_peer_fix(system, peer.cell));
    }
    if (seen.size() < 2)
        diags.report("JC-LINK-PEER", link.loc,
                     fmt::format("link '{}' joins {} distinct cell{}; a link needs at least two",
                                 link.name, seen.size(), seen.size() == 1 ? "" : "s"),
                     "list at least two different cells in `peers`");
}

void check_shape(const Link& link, Diagnostics& diags) {
    const uint64_t phys = link.phys.value, virt = link.virt.value;
    std::string bad, fix;
    auto field = [&](std::string_view name, uint64_t value, uint64_t rounded) {
        if (page_aligned(value))
            return;
        bad += fmt::format("{}{} {:#x}", bad.empty() ? "" : ", ", name, value);
        fix += fmt::format("{}{} {:#x}", fix.empty() ? "" : ", ", name, rounded);
    };
    field("phys", phys, page_round_down(phys));
    if (virt != phys)
        field("virt", virt, page_round_down(virt));
    field("size", link.size, page_round_up(link.size));
    if (link.size == 0)
        diags.report("JC-LINK-ALIGN", link.loc, fmt::format("link '{}' has size 0", link.name),
                     "give the link a size in whole 4 KiB pages, e.g. 4K");
    if (!bad.empty())
        diags.report("JC-LINK-ALIGN", link.loc,
                     fmt::format("link '{}': {} not a multiple of 4 KiB (0x1000)", link.name, bad),
                     fmt::format("use {} (whole 4 KiB pages)", fix));
    if (link.size == 0)
        return;
    for (auto [kind, start] : {std::pair{"phys", phys}, std::pair{"virt", virt}}) {
        if (last_address(start, link.size) || (kind == std::string_view("virt") && virt == phys))
            continue;
        diags.report("JC-MEM-OVERFLOW", link.loc,
                     fmt::format("link '{}': {} {:#x} + size {:#x} runs past 2^64; it is left out "
                                 "of the overlap checks",
                                 link.name, kind, start, link.size),
                     fmt::format("reduce the size to at most {:#x} or lower {}", ~start + 1, kind));
    }
}

} // namespace

void check_links(const System& system, Diagnostics& diags) {
    NameSet cells;
    for (const Cell& cell : system.cells)
        cells.insert(cell.name);
    for (const Link& link : system.links) {
        check_peers(system, cells, link, diags);
        check_shape(link, diags);
    }
    check_doorbells(system, diags);
    const auto& links = system.links;
    for_each_duplicate(
        links.size(), [&](uint32_t i) -> std::string_view { return links[i].name; },
        [&](uint32_t first, uint32_t dup) {
            diags.report(
                "JC-LINK-NAME-DUP", links[dup].loc,
                fmt::format("link name '{}' is used by links #{} and #{}", links[dup].name, first,
                            dup),
                fmt::format("rename link #{}, e.g. to '{}-{}'", dup, links[dup].name, dup),
                {{links[first].loc, fmt::format("first link named '{}'", links[dup].name)}});
        });
}

} // namespace jailconf::checks
