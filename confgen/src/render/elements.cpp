// The elements of the page (every located model element) and the placement of findings on them.
#include <algorithm>
#include <tuple>

#include <fmt/format.h>

#include "confgen/render.hpp"
#include "render/ids.hpp"

namespace jailconf::render {

std::string_view to_string(ElementKind k) {
    switch (k) {
    case ElementKind::system:
        return "system";
    case ElementKind::platform:
        return "platform";
    case ElementKind::platform_cpu:
        return "platform CPU";
    case ElementKind::irqchip:
        return "interrupt controller";
    case ElementKind::pci_host:
        return "PCI host (ECAM)";
    case ElementKind::iommu:
        return "IOMMU";
    case ElementKind::hypervisor:
        return "hypervisor";
    case ElementKind::hypervisor_memory:
        return "hypervisor memory";
    case ElementKind::hypervisor_console:
        return "hypervisor console";
    case ElementKind::cell:
        return "cell";
    case ElementKind::cpu_range:
        return "CPUs";
    case ElementKind::memory_region:
        return "memory region";
    case ElementKind::irq_range:
        return "interrupts";
    case ElementKind::pci_device:
        return "PCI device";
    case ElementKind::pci_bar:
        return "PCI BAR";
    case ElementKind::stream_id:
        return "stream id";
    case ElementKind::pio_range:
        return "port I/O range";
    case ElementKind::console:
        return "console";
    case ElementKind::watchdog:
        return "watchdog";
    case ElementKind::waiver:
        return "waiver";
    case ElementKind::link:
        return "link";
    case ElementKind::link_peer:
        return "link peer";
    }
    return "element";
}

std::vector<Element> collect_elements(const System& s) {
    std::vector<Element> out;
    auto add = [&out](std::string id, ElementKind kind, int owner, std::string label,
                      const SourceLocation& loc, size_t index = 0) {
        out.push_back(Element{std::move(id), kind, owner, std::move(label), loc, {}, index});
    };
    add(ids::system(), ElementKind::system, owner_system, "system", s.loc);
    const Platform& p = s.platform;
    add(ids::platform(), ElementKind::platform, owner_platform, fmt::format("platform {}", p.name),
        p.loc);
    for (size_t i = 0; i < p.cpus.size(); ++i)
        add(ids::platform_cpu(i), ElementKind::platform_cpu, owner_platform,
            fmt::format("platform: CPU {} (hardware id {:#x})", p.cpus[i].id, p.cpus[i].hw_id),
            p.cpus[i].loc, i);
    if (p.irqchip)
        add(ids::irqchip(), ElementKind::irqchip, owner_platform,
            fmt::format("platform: interrupt controller ({})", to_string(p.irqchip->type)),
            p.irqchip->loc);
    if (p.pci)
        add(ids::pci_host(), ElementKind::pci_host, owner_platform,
            fmt::format("platform: PCI ECAM, segment {}, buses {:02x}-{:02x}", p.pci->segment,
                        p.pci->bus_start, p.pci->bus_end),
            p.pci->loc);
    for (size_t i = 0; i < p.iommus.size(); ++i)
        add(ids::iommu(i), ElementKind::iommu, owner_platform,
            fmt::format("platform: IOMMU {} ({})", i, to_string(p.iommus[i].type)), p.iommus[i].loc,
            i);
    const Hypervisor& hv = s.hypervisor;
    add(ids::hypervisor(), ElementKind::hypervisor, owner_hypervisor, "hypervisor", hv.loc);
    add(ids::hypervisor_memory(), ElementKind::hypervisor_memory, owner_hypervisor,
        "hypervisor: memory", hv.memory_loc);
    if (hv.console)
        add(ids::hypervisor_console(), ElementKind::hypervisor_console, owner_hypervisor,
            fmt::format("hypervisor: console ({})", to_string(hv.console->type)), hv.console->loc);
    for (size_t ci = 0; ci < s.cells.size(); ++ci) {
        const Cell& c = s.cells[ci];
        int owner = int(ci);
        add(ids::cell(ci), ElementKind::cell, owner, fmt::format("cell {}", c.name), c.loc, ci);
        for (size_t k = 0; k < c.cpus.size(); ++k)
            add(ids::cell_part(ci, "cpu", k), ElementKind::cpu_range, owner,
                fmt::format("{}: CPUs {}", c.name, range_text(c.cpus[k].first, c.cpus[k].last)),
                c.cpus[k].loc, k);
        for (size_t k = 0; k < c.memory.size(); ++k)
            add(ids::cell_part(ci, "mem", k), ElementKind::memory_region, owner,
                fmt::format("{}: memory {}", c.name,
                            c.memory[k].name.empty() ? fmt::format("#{}", k) : c.memory[k].name),
                c.memory[k].loc, k);
        for (size_t k = 0; k < c.irqs.size(); ++k)
            add(ids::cell_part(ci, "irq", k), ElementKind::irq_range, owner,
                fmt::format("{}: interrupts {}", c.name,
                            range_text(c.irqs[k].first, c.irqs[k].last)),
                c.irqs[k].loc, k);
        for (size_t k = 0; k < c.pci_devices.size(); ++k) {
            const PciDevice& d = c.pci_devices[k];
            add(ids::cell_part(ci, "pci", k), ElementKind::pci_device, owner,
                fmt::format("{}: PCI {}", c.name, format_bdf(d.bdf)), d.loc, k);
            // Capabilities, MSI and MSI-X are drawn as part of the device.
            for (const auto& cap : d.caps)
                out.back().also.push_back(cap.loc);
            if (d.msi)
                out.back().also.push_back(d.msi->loc);
            if (d.msix)
                out.back().also.push_back(d.msix->loc);
            for (size_t b = 0; b < d.bars.size(); ++b)
                add(ids::pci_bar(ci, k, b), ElementKind::pci_bar, owner,
                    fmt::format("{}: PCI {} BAR {}", c.name, format_bdf(d.bdf), d.bars[b].index),
                    d.bars[b].loc, b);
        }
        for (size_t k = 0; k < c.stream_ids.size(); ++k)
            add(ids::cell_part(ci, "sid", k), ElementKind::stream_id, owner,
                fmt::format("{}: stream id {:#x}", c.name, c.stream_ids[k].id), c.stream_ids[k].loc,
                k);
        for (size_t k = 0; k < c.pio.size(); ++k)
            add(ids::cell_part(ci, "pio", k), ElementKind::pio_range, owner,
                fmt::format("{}: ports {:#x}+{:#x}", c.name, c.pio[k].base, c.pio[k].size),
                c.pio[k].loc, k);
        if (c.console)
            add(ids::cell_part(ci, "console", 0), ElementKind::console, owner,
                fmt::format("{}: console ({})", c.name, to_string(c.console->type)),
                c.console->loc);
        if (c.watchdog)
            add(ids::cell_part(ci, "watchdog", 0), ElementKind::watchdog, owner,
                fmt::format("{}: watchdog", c.name), c.watchdog->loc);
        for (size_t k = 0; k < c.waivers.size(); ++k)
            add(ids::cell_part(ci, "waiver", k), ElementKind::waiver, owner,
                fmt::format("{}: waiver of {}", c.name, c.waivers[k].rule), c.waivers[k].loc, k);
    }
    for (size_t li = 0; li < s.links.size(); ++li) {
        const Link& l = s.links[li];
        add(ids::link(li), ElementKind::link, owner_links, fmt::format("link {}", l.name), l.loc,
            li);
        for (size_t k = 0; k < l.peers.size(); ++k)
            add(ids::link_peer(li, k), ElementKind::link_peer, owner_links,
                fmt::format("link {}: peer {}", l.name, l.peers[k].cell), l.peers[k].loc, k);
    }
    return out;
}

std::vector<std::vector<size_t>> place_findings(std::span<const Element> elements,
                                                std::span<const Diagnostic> diagnostics) {
    std::vector<std::vector<size_t>> out(diagnostics.size());
    for (size_t di = 0; di < diagnostics.size(); ++di) {
        const SourceLocation& at = diagnostics[di].loc;
        if (!at.known() || at.line == 0)
            continue;
        // (element, column) of every location of every element on the finding's line.
        std::vector<std::pair<size_t, uint32_t>> same_line;
        std::vector<size_t> exact;
        for (size_t ei = 0; ei < elements.size(); ++ei) {
            auto consider = [&](const SourceLocation& l) {
                if (l.file != at.file || l.line != at.line)
                    return;
                same_line.emplace_back(ei, l.column);
                if (l.column == at.column && (exact.empty() || exact.back() != ei))
                    exact.push_back(ei);
            };
            consider(elements[ei].loc);
            for (const auto& l : elements[ei].also)
                consider(l);
        }
        if (!exact.empty()) {
            out[di] = std::move(exact);
            continue;
        }
        // The elements that start nearest before the finding's column on its line.
        uint32_t best = 0;
        for (const auto& [ei, column] : same_line)
            if (column <= at.column)
                best = std::max(best, column);
        for (const auto& [ei, column] : same_line)
            if ((best == 0 || column == best) &&
                std::find(out[di].begin(), out[di].end(), ei) == out[di].end())
                out[di].push_back(ei);
    }
    return out;
}

} // namespace jailconf::render
