// Links: shared memory between cells, taken top-down from the root's free RAM like cell RAM,
// aligned to the largest power of two dividing its size (at most 2 MiB), placed where no peer
// maps anything (every peer sees it at its physical address), plus a doorbell interrupt. An
// automatic doorbell is the lowest SPI (INTID 32 and up) that no device of the inventory uses
// and no cell or link owns: the hypervisor injects it, so it must never fire for real.
#include <algorithm>
#include <fmt/format.h>

#include "plan/state.hpp"

namespace jailconf::plan::detail {
namespace {

constexpr uint64_t default_link_size = 64 * 1024;

std::set<uint32_t> machine_irqs(const inventory::Inventory& inv) {
    std::set<uint32_t> ids;
    for (const auto& d : inv.devices)
        for (const auto& i : d.irqs)
            ids.insert(i.id);
    for (const auto& t : inv.timers)
        for (const auto& i : t.irqs)
            ids.insert(i.id);
    for (const auto& h : inv.pci_hosts)
        for (const auto& r : h.intx_routes)
            ids.insert(r.irq.id);
    for (const auto& m : inv.iommus)
        for (const auto& i : m.irqs)
            ids.insert(i.id);
    for (const auto& c : inv.consoles)
        if (c.irq)
            ids.insert(c.irq->id);
    if (inv.gic && inv.gic->maintenance_irq)
        ids.insert(inv.gic->maintenance_irq);
    return ids;
}

bool owned_by_a_cell(const System& sys, uint32_t id) {
    for (const auto& c : sys.cells)
        if (has_id(c.irqs, id))
            return true;
    return false;
}

std::optional<uint32_t> doorbell(State& st, const LinkRequest& l) {
    const bool arm = st.sys.arch != Arch::x86_64;
    if (l.doorbell_irq) {
        uint32_t id = *l.doorbell_irq;
        std::string why;
        if (arm && (id < 32 || id > 1019))
            why = "it is not an SPI (INTIDs 32-1019; SPI n is INTID n+32)";
        else if (!arm && id > 255)
            why = "it is above 255";
        else if (machine_irqs(st.inv).count(id))
            why = fmt::format("a device of the machine uses it ({})", st.facts.irq(id));
        else if (auto it = st.irq_owner.find(id); it != st.irq_owner.end())
            why = fmt::format("{} already owns it", it->second);
        else if (owned_by_a_cell(st.sys, id))
            why = "a cell owns it";
        if (!why.empty()) {
            st.error(
                "JC-PLAN-LINK", l.doorbell_loc,
                fmt::format("link {}: doorbell interrupt {} cannot be used: {}", l.name, id, why),
                "use doorbell_irq: auto");
            return std::nullopt;
        }
        return id;
    }
    if (!arm) {
        st.error("JC-PLAN-LINK", l.doorbell_loc,
                 fmt::format("link {}: doorbell_irq: auto is planned for the GIC only; this "
                             "machine is x86_64",
                             l.name),
                 "give the doorbell interrupt as a number, or omit it");
        return std::nullopt;
    }
    auto used = machine_irqs(st.inv);
    for (uint32_t id = 32; id <= 1019; ++id)
        if (!used.count(id) && !st.irq_owner.count(id) && !owned_by_a_cell(st.sys, id))
            return id;
    st.error("JC-PLAN-LINK", l.doorbell_loc,
             fmt::format("link {}: every SPI (INTID 32-1019) is used", l.name),
             "give fewer links a doorbell");
    return std::nullopt;
}

} // namespace

bool plan_links(State& st) {
    std::set<std::string> names;
    for (const auto& l : st.req.links) {
        if (!names.insert(l.name).second) {
            st.error("JC-PLAN-LINK", l.loc, fmt::format("link name '{}' is used twice", l.name),
                     "give every link its own name");
            return false;
        }
        std::vector<Span> avoid;
        std::set<std::string> seen;
        for (const auto& p : l.peers) {
            const Cell* c = st.sys.find_cell(p.cell);
            if (!c) {
                std::string cells;
                for (const auto& x : st.sys.cells)
                    cells += (cells.empty() ? "" : ", ") + x.name;
                st.error(
                    "JC-PLAN-LINK", p.loc,
                    fmt::format("link {}: peer '{}' is not a cell of the request", l.name, p.cell),
                    fmt::format("use one of: {}", cells));
                return false;
            }
            if (!seen.insert(p.cell).second) {
                st.error("JC-PLAN-LINK", p.loc,
                         fmt::format("link {}: peer '{}' is named twice", l.name, p.cell),
                         "name each peer once");
                return false;
            }
            // The root maps everything at its physical address and the link is carved out of
            // its RAM, so only the other peers' guest spaces can collide.
            if (!c->root) {
                auto spans = guest_spans(st.sys, *c);
                avoid.insert(avoid.end(), spans.begin(), spans.end());
            }
        }
        uint64_t size = l.size.value_or(default_link_size);
        if (size == 0 || size % generate::page) {
            st.error("JC-PLAN-LINK", l.size_loc,
                     fmt::format("link {}: size {:#x} is not a multiple of 4 KiB", l.name, size),
                     "give a size like 64K");
            return false;
        }
        uint64_t align = std::min<uint64_t>(size & (~size + 1), 2ull << 20);
        auto got = allocate_ram(st, size, align, avoid);
        if (!got) {
            st.error("JC-PLAN-LINK", l.loc,
                     fmt::format("link {}: no free RAM block of {} KiB aligned to {} KiB outside "
                                 "every peer's mappings (largest free block: {} KiB)",
                                 l.name, size >> 10, align >> 10, largest_free(st, align) >> 10),
                     "give a smaller size, or ask for less memory in the cells");
            return false;
        }
        Link link;
        link.name = l.name;
        link.peers = l.peers;
        for (auto& p : link.peers)
            p.loc = {};
        link.phys = PhysAddr{got->begin};
        link.virt = GuestAddr{got->begin};
        link.size = size;
        st.record(
            "links", link_key(l.name), l.size ? "request" : "policy", st.facts.memory(*got), l.loc,
            fmt::format("{}; top-down from the root's free RAM, aligned to {} KiB, outside "
                        "every peer's guest mappings; each peer sees it at its physical "
                        "address",
                        l.size ? "size from the request" : "size auto = 64 KiB", align >> 10));
        if (l.doorbell) {
            auto id = doorbell(st, l);
            if (!id)
                return false;
            link.doorbell_irq = *id;
            st.irq_owner[*id] = "link " + l.name;
            st.record("links", doorbell_key(l.name), l.doorbell_irq ? "request" : "policy",
                      fmt::format("INTID {}: no device of the inventory uses it", *id),
                      l.doorbell_loc,
                      l.doorbell_irq ? "doorbell interrupt from the request"
                                     : "doorbell_irq: auto takes the lowest SPI no device of the "
                                       "inventory uses and no cell owns");
        }
        st.sys.links.push_back(std::move(link));
    }
    return true;
}

} // namespace jailconf::plan::detail
