// Every resource of a loaded system, with the file and line it is written at, and the
// `--resource` filter of `confgen explain`.
#include <algorithm>
#include <fmt/format.h>

#include "plan/state.hpp"
#include "yaml/numbers.hpp"

namespace jailconf::plan {

using namespace detail;

std::vector<Resource> list_resources(const System& system) {
    std::vector<Resource> out;
    const auto& hv = system.hypervisor;
    out.push_back(
        {"hypervisor", "hypervisor", "memory",
         fmt::format("hypervisor memory {:#x}+{:#x}", hv.memory_phys.value, hv.memory_size),
         hv.memory_loc.known() ? hv.memory_loc : hv.loc, hv.memory_phys.value,
         hv.memory_phys.value + hv.memory_size, std::nullopt});
    for (const auto& c : system.cells) {
        for (const auto& r : c.cpus)
            for (uint64_t id = r.first; id <= r.last; ++id)
                out.push_back({c.name, "cpus", cpu_key(uint32_t(id)), fmt::format("CPU {}", id),
                               r.loc, std::nullopt, std::nullopt, id});
        for (const auto& m : c.memory) {
            std::string flags;
            for (auto f : mem_flag_names(m.flags))
                flags += (flags.empty() ? "" : ",") + std::string(f);
            std::string what =
                fmt::format("region {} phys {:#x}+{:#x}", m.name, m.phys.value, m.size);
            if (m.virt.value != m.phys.value)
                what += fmt::format(" at guest {:#x}", m.virt.value);
            out.push_back({c.name, "memory", memory_key(m.phys.value),
                           what + fmt::format(" [{}]", flags), m.loc, m.phys.value,
                           m.phys.value + m.size, std::nullopt});
        }
        for (const auto& r : c.irqs)
            for (uint64_t id = r.first; id <= r.last; ++id)
                out.push_back({c.name, "irqs", irq_key(uint32_t(id)),
                               fmt::format("interrupt {}", id), r.loc, std::nullopt, std::nullopt,
                               id});
        for (const auto& d : c.pci_devices)
            out.push_back({c.name, "pci_devices", pci_key(d.bdf),
                           fmt::format("PCI {} ({} BARs)", format_bdf(d.bdf), d.bars.size()), d.loc,
                           std::nullopt, std::nullopt, std::nullopt});
        for (const auto& s : c.stream_ids)
            out.push_back({c.name, "stream_ids", sid_key(s.id),
                           fmt::format("stream id {:#x}", s.id), s.loc, std::nullopt, std::nullopt,
                           s.id});
        for (const auto& p : c.pio)
            out.push_back({c.name, "pio", pio_key(p.base),
                           fmt::format("ports {:#x}+{:#x}", p.base, p.size), p.loc, p.base,
                           uint64_t(p.base) + p.size, std::nullopt});
        if (c.console)
            out.push_back(
                {c.name, "console", "console",
                 fmt::format("console {} at {:#x}", to_string(c.console->type), c.console->base),
                 c.console->loc, c.console->base,
                 c.console->base + std::max<uint64_t>(c.console->size, 1), std::nullopt});
        if (c.watchdog)
            out.push_back({c.name, "watchdog", "watchdog",
                           fmt::format("watchdog {} ms", c.watchdog->timeout_ms), c.watchdog->loc,
                           std::nullopt, std::nullopt, std::nullopt});
    }
    for (const auto& l : system.links) {
        std::string peers;
        for (const auto& p : l.peers)
            peers += (peers.empty() ? "" : ", ") + p.cell;
        out.push_back(
            {"links", "links", link_key(l.name),
             fmt::format("link {} [{}] phys {:#x}+{:#x}", l.name, peers, l.phys.value, l.size),
             l.loc, l.phys.value, l.phys.value + l.size, std::nullopt});
        if (l.doorbell_irq)
            out.push_back(
                {"links", "links", doorbell_key(l.name),
                 fmt::format("doorbell of link {}: interrupt {}", l.name, *l.doorbell_irq), l.loc,
                 std::nullopt, std::nullopt, *l.doorbell_irq});
    }
    return out;
}

namespace {

const std::vector<std::string_view> kinds = {"cpus",       "memory",    "irqs",    "pci_devices",
                                             "stream_ids", "pio",       "console", "watchdog",
                                             "links",      "hypervisor"};

std::string link_name_of(const Resource& r) {
    // "link NAME" or "doorbell NAME"
    return r.key.substr(r.key.find(' ') + 1);
}

bool peer_of(const System& s, const std::string& link, const std::string& cell) {
    for (const auto& l : s.links)
        if (l.name == link)
            for (const auto& p : l.peers)
                if (p.cell == cell)
                    return true;
    return false;
}

// "pci 00:02.0" for "00:02.0" or "0000:00:02.0" (segment 0 is written without it).
bool matches_bdf(const Resource& r, const std::string& bdf) {
    const std::string plain = bdf.starts_with("0000:") ? bdf.substr(5) : bdf;
    return r.key == "pci " + plain;
}

std::optional<uint64_t> number(std::string_view text) {
    auto n = yaml::parse_integer_literal(text);
    if (!n || !*n)
        return std::nullopt;
    return **n;
}

} // namespace

Expected<std::vector<Resource>, std::string>
filter_resources(std::vector<Resource> all, std::string_view filter, const System& system) {
    std::string f(filter);
    if (f.empty())
        return Unexpected(std::string("--resource is empty"));
    std::vector<Resource> out;
    auto keep_if = [&](auto pred) {
        for (auto& r : all)
            if (pred(r))
                out.push_back(r);
        return out;
    };
    // irq:N, cpu:N, sid:N, pci:BDF
    if (auto colon = f.find(':'); colon < 4) {
        std::string kind = f.substr(0, colon);
        std::string rest = f.substr(colon + 1);
        if (kind == "pci")
            return keep_if([&](const Resource& r) { return matches_bdf(r, rest); });
        auto n = number(rest);
        std::string prefix = kind == "irq" ? "irq " : kind == "cpu" ? "cpu " : "stream_id ";
        if (!n || (kind != "irq" && kind != "cpu" && kind != "sid"))
            return Unexpected(fmt::format("'{}' is not irq:N, cpu:N, sid:N or pci:BDF", f));
        return keep_if([&](const Resource& r) {
            return r.id == *n &&
                   (r.key.starts_with(prefix) || (kind == "irq" && r.key.starts_with("doorbell ")));
        });
    }
    // A BDF: 00:02.0
    if (f.find(':') != std::string::npos && f.find('.') != std::string::npos)
        return keep_if([&](const Resource& r) { return matches_bdf(r, f); });
    // An address: every resource whose range holds it.
    if (f.starts_with("0x") || f.starts_with("0X")) {
        auto n = number(f);
        if (!n)
            return Unexpected(fmt::format("'{}' is not an address", f));
        return keep_if([&](const Resource& r) { return r.begin && *n >= *r.begin && *n < *r.end; });
    }
    // A plain number: any id (CPU, interrupt, stream id, doorbell).
    if (auto n = number(f))
        return keep_if([&](const Resource& r) { return r.id == *n; });
    // CELL, CELL.KIND, CELL.memory.NAME, KIND, a link name.
    std::string cell = f, kind, name;
    if (auto dot = f.find('.'); dot != std::string::npos && !system.find_cell(f)) {
        cell = f.substr(0, dot);
        kind = f.substr(dot + 1);
        if (auto dot2 = kind.find('.'); dot2 != std::string::npos) {
            name = kind.substr(dot2 + 1);
            kind = kind.substr(0, dot2);
        }
        if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end())
            return Unexpected(fmt::format("'{}' is not a resource kind; use one of cpus, memory, "
                                          "irqs, pci_devices, stream_ids, pio, console, "
                                          "watchdog, links",
                                          kind));
    }
    if (system.find_cell(cell) || cell == "hypervisor" || cell == "links") {
        return keep_if([&](const Resource& r) {
            bool in_cell =
                r.cell == cell || (r.cell == "links" && peer_of(system, link_name_of(r), cell));
            if (!in_cell || (!kind.empty() && r.kind != kind))
                return false;
            return name.empty() || r.what.starts_with(fmt::format("region {} ", name));
        });
    }
    if (std::find(kinds.begin(), kinds.end(), f) != kinds.end())
        return keep_if([&](const Resource& r) { return r.kind == f; });
    for (const auto& l : system.links)
        if (l.name == f)
            return keep_if(
                [&](const Resource& r) { return r.cell == "links" && link_name_of(r) == f; });
    std::string cells;
    for (const auto& c : system.cells)
        cells += (cells.empty() ? "" : ", ") + c.name;
    return Unexpected(
        fmt::format("'{}' names no cell, resource kind or link (cells: {})", f, cells));
}

} // namespace jailconf::plan
