#include "binary/limits_check.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "binary/names.hpp"
#include "jailconf/format.hpp"
#include "jailconf/limits.hpp"

namespace jailconf::binary {

std::vector<IdRange> canonical_ranges(const std::vector<IdRange>& ranges) {
    std::vector<IdRange> sorted;
    sorted.reserve(ranges.size());
    for (const IdRange& r : ranges)
        sorted.push_back(IdRange{r.first, r.last, {}});
    std::ranges::sort(sorted, {}, &IdRange::first);
    std::vector<IdRange> merged;
    for (const IdRange& r : sorted) {
        // Adjacent ranges merge too; last + 1 is computed in 64 bits so that UINT32_MAX is safe.
        if (!merged.empty() && uint64_t(r.first) <= uint64_t(merged.back().last) + 1)
            merged.back().last = std::max(merged.back().last, r.last);
        else
            merged.push_back(r);
    }
    return merged;
}

namespace {

class Findings {
  public:
    void name(std::string_view what, const std::string& value, bool required) {
        if (value.empty() && !required)
            return;
        if (!is_valid_name(value))
            items.push_back(fmt::format(
                "{} '{}' cannot be stored: names are 1 to {} characters of A-Z a-z 0-9 _ . - "
                "and start with a letter, digit or _",
                what, value, limits::max_name_length));
    }
    void ranges(std::string_view what, const std::vector<IdRange>& rs) {
        for (const IdRange& r : rs)
            if (r.first > r.last)
                items.push_back(
                    fmt::format("{}: range {}-{} has first > last", what, r.first, r.last));
    }
    void count(std::string_view what, size_t n, uint32_t limit) {
        if (n > limit)
            items.push_back(
                fmt::format("{}: {} exceeds the descriptor limit of {}", what, n, limit));
    }
    std::vector<std::string> items;
};

void check_cell(const Cell& cell, Findings& f) {
    const std::string where = fmt::format("cell '{}'", cell.name);
    f.name("cell name", cell.name, true);
    f.ranges(where + ": CPUs", cell.cpus);
    f.ranges(where + ": interrupts", cell.irqs);
    f.count(where + ": CPU ranges", canonical_ranges(cell.cpus).size(), limits::max_cpu_ranges);
    f.count(where + ": memory regions", cell.memory.size(), limits::max_memory_regions);
    for (const MemoryRegion& m : cell.memory)
        f.name(where + ": memory region name", m.name, false);
    f.count(where + ": interrupt ranges", canonical_ranges(cell.irqs).size(),
            limits::max_irq_ranges);
    f.count(where + ": PCI devices", cell.pci_devices.size(), limits::max_pci_devices);
    size_t caps = 0;
    for (const PciDevice& d : cell.pci_devices) {
        f.count(fmt::format("{}: PCI device {}: BARs", where, format_bdf(d.bdf)), d.bars.size(),
                jcb::pci_max_bars);
        caps += d.caps.size();
    }
    f.count(where + ": PCI capabilities", caps, limits::max_pci_caps);
    f.count(where + ": stream ids", cell.stream_ids.size(), limits::max_stream_ids);
    f.count(where + ": port I/O ranges", cell.pio.size(), limits::max_pio_ranges);
}

} // namespace

std::vector<std::string> check_encodable(const System& system) {
    Findings f;
    const auto roots = std::ranges::count_if(system.cells, &Cell::root);
    if (roots != 1)
        f.items.push_back(
            fmt::format("the system has {} root cells; a descriptor needs exactly one", roots));
    f.name("platform name", system.platform.name, false);
    f.count("platform CPUs", system.platform.cpus.size(), limits::max_platform_cpus);
    f.count("IOMMUs", system.platform.iommus.size(), limits::max_iommus);
    for (const Cell& cell : system.cells)
        check_cell(cell, f);
    f.count("links", system.links.size(), limits::max_links);
    for (const Link& link : system.links) {
        f.name("link name", link.name, true);
        f.count(fmt::format("link '{}': peers", link.name), link.peers.size(),
                limits::max_link_peers);
        for (const LinkPeer& p : link.peers)
            f.name(fmt::format("link '{}': peer", link.name), p.cell, true);
    }
    return std::move(f.items);
}

} // namespace jailconf::binary
