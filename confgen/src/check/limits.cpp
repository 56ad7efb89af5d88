// JC-LIMIT: counts and values above the fixed bounds of the binary descriptor
// (schema/include/jailconf/limits.hpp), so that `check` fails before `compile` would. CPU and
// interrupt ranges are counted after merging, as the encoder stores them.
#include <fmt/format.h>

#include <jailconf/limits.hpp>

#include "check/check_util.hpp"
#include "check/checks.hpp"

namespace jailconf::checks {
namespace {

namespace lim = jailconf::limits;

// Reports `count` > `max`; `loc` is the first element past the limit when there is one.
void count_limit(size_t count, uint32_t max, std::string_view what, std::string_view owner,
                 const SourceLocation& loc, std::string_view fix, Diagnostics& diags) {
    if (count <= max)
        return;
    diags.report(
        "JC-LIMIT", loc,
        fmt::format("{} has {} {}; a descriptor holds at most {}", owner, count, what, max),
        std::string(fix));
}

template <class T>
const SourceLocation& past(const std::vector<T>& items, uint32_t max, const SourceLocation& owner) {
    return items.size() > max ? items[max].loc : owner;
}

void name_limit(std::string_view name, std::string_view what, const SourceLocation& loc,
                Diagnostics& diags) {
    if (name.size() <= lim::max_name_length)
        return;
    diags.report("JC-LIMIT", loc,
                 fmt::format("{} name '{}' is {} bytes long; names are at most {} bytes", what,
                             name, name.size(), lim::max_name_length),
                 fmt::format("shorten the name to {} bytes or fewer", lim::max_name_length));
}

void check_cell(const Cell& cell, Diagnostics& diags) {
    const std::string owner = fmt::format("cell '{}'", cell.name);
    name_limit(cell.name, "cell", cell.loc, diags);
    for (const MemoryRegion& r : cell.memory)
        name_limit(r.name, "region", r.loc, diags);

    count_limit(cell.memory.size(), lim::max_memory_regions, "memory regions", owner,
                past(cell.memory, lim::max_memory_regions, cell.loc),
                "merge adjacent regions with the same flags", diags);
    count_limit(merge_id_ranges(cell.irqs).size(), lim::max_irq_ranges,
                "interrupt ranges (after merging)", owner, cell.loc,
                "renumber or drop interrupts so that they form fewer ranges", diags);
    count_limit(merge_id_ranges(cell.cpus).size(), lim::max_cpu_ranges,
                "CPU ranges (after merging)", owner, cell.loc,
                "give the cell CPUs that form fewer consecutive ranges", diags);
    count_limit(cell.pci_devices.size(), lim::max_pci_devices, "PCI devices", owner,
                past(cell.pci_devices, lim::max_pci_devices, cell.loc),
                "assign fewer PCI devices to the cell", diags);
    size_t caps = 0;
    for (const PciDevice& dev : cell.pci_devices)
        caps += dev.caps.size();
    count_limit(caps, lim::max_pci_caps, "PCI capabilities (all devices)", owner, cell.loc,
                "list only the capabilities the cell needs to access", diags);
    count_limit(cell.stream_ids.size(), lim::max_stream_ids, "stream ids", owner,
                past(cell.stream_ids, lim::max_stream_ids, cell.loc),
                "assign fewer DMA masters to the cell", diags);
    count_limit(cell.pio.size(), lim::max_pio_ranges, "port I/O ranges", owner,
                past(cell.pio, lim::max_pio_ranges, cell.loc), "merge adjacent port ranges", diags);
}

void check_platform(const Platform& platform, Diagnostics& diags) {
    name_limit(platform.name, "platform", platform.loc, diags);
    count_limit(platform.cpus.size(), lim::max_platform_cpus, "CPUs", "the platform",
                past(platform.cpus, lim::max_platform_cpus, platform.loc),
                "list at most the supported number of CPUs", diags);
    count_limit(platform.iommus.size(), lim::max_iommus, "IOMMUs", "the platform",
                past(platform.iommus, lim::max_iommus, platform.loc),
                "list only the IOMMUs that translate for the cells", diags);
    const PlatformCpu* first = nullptr;
    size_t above = 0;
    for (const PlatformCpu& cpu : platform.cpus) {
        if (cpu.id <= lim::max_cpu_id)
            continue;
        first = first ? first : &cpu;
        ++above;
    }
    if (first)
        diags.report("JC-LIMIT", first->loc,
                     fmt::format("{} platform CPU id{} above {} (first: CPU {})", above,
                                 above == 1 ? " is" : "s are", lim::max_cpu_id, first->id),
                     fmt::format("number logical CPUs from 0 to at most {}", lim::max_cpu_id));
}

} // namespace

void check_limits(const System& system, Diagnostics& diags) {
    check_platform(system.platform, diags);
    for (const Cell& cell : system.cells)
        check_cell(cell, diags);
    count_limit(system.links.size(), lim::max_links, "links", "the system",
                past(system.links, lim::max_links, system.loc),
                "merge links between the same cells", diags);
    for (const Link& link : system.links) {
        name_limit(link.name, "link", link.loc, diags);
        count_limit(link.peers.size(), lim::max_link_peers, "peers",
                    fmt::format("link '{}'", link.name),
                    past(link.peers, lim::max_link_peers, link.loc),
                    "split the link into several with fewer peers", diags);
    }
}

} // namespace jailconf::checks
