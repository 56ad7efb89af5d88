// A line-per-fact text summary of what the device-tree scanner found: the golden files under
// tests/fixtures/fdt/golden/ are these summaries, reviewed by hand once and compared ever after.
#pragma once

#include <string>

#include <fmt/format.h>

#include "confgen/inventory.hpp"

namespace jailconf::testing {

inline std::string region_text(const inventory::Region& r) {
    return fmt::format("{:#x}+{:#x}", r.base, r.size);
}

inline std::string irq_text(const inventory::Interrupt& i) {
    return fmt::format("{}/{}", i.id, inventory::to_string(i.trigger));
}

inline std::string join(const std::vector<std::string>& v, const char* sep = ",") {
    std::string out;
    for (size_t i = 0; i < v.size(); ++i)
        out += (i ? sep : "") + v[i];
    return out;
}

inline std::string dt_summary(const inventory::Inventory& inv) {
    std::string s;
    auto line = [&](const std::string& l) { s += l + "\n"; };
    line(fmt::format("machine arch={} model={} compatible={}", inv.machine.arch, inv.machine.model,
                     join(inv.machine.compatible)));
    for (const auto& c : inv.cpus)
        line(fmt::format("cpu {} hw_id={:#x} method={} {}{}", c.id, c.hw_id, c.enable_method,
                         c.enabled ? "enabled" : "disabled",
                         c.numa_node ? fmt::format(" numa={}", *c.numa_node) : ""));
    if (inv.psci)
        line(fmt::format("psci method={} version={}", inv.psci->method, inv.psci->version));
    for (const auto& m : inv.memory)
        line(fmt::format("memory {} ({})", region_text(m.region), m.origin.node));
    for (const auto& r : inv.reserved)
        line(fmt::format("reserved {} {} {}{} users={}", r.kind, r.name, region_text(r.region),
                         r.no_map ? " no-map" : "", join(r.devices)));
    if (inv.gic) {
        const auto& g = *inv.gic;
        std::vector<std::string> gicr, its;
        for (const auto& r : g.redistributors)
            gicr.push_back(region_text(r));
        for (const auto& i : g.its)
            its.push_back(fmt::format("{}:{}", i.id, region_text(i.region)));
        line(fmt::format("gic {} gicd={} gicr=[{}] stride={:#x} gicc={} gich={} gicv={} "
                         "maintenance={} its=[{}] ({})",
                         g.type, region_text(g.distributor), join(gicr), g.redistributor_stride,
                         region_text(g.cpu_interface), region_text(g.hyp_interface),
                         region_text(g.vcpu_interface), g.maintenance_irq, join(its),
                         g.origin.node));
    }
    for (const auto& t : inv.timers) {
        std::vector<std::string> irqs;
        for (const auto& i : t.irqs)
            irqs.push_back(irq_text(i));
        line(fmt::format("timer {} irqs={} ({})", t.type, join(irqs), t.origin.node));
    }
    for (const auto& c : inv.consoles)
        line(fmt::format("console {} base={:#x} irq={} baud={}{} {}", c.type, c.base,
                         c.irq ? irq_text(*c.irq) : "-", c.baud, c.chosen ? " chosen" : "",
                         c.path));
    for (const auto& h : inv.pci_hosts) {
        line(fmt::format("pci-host {} segment={} bus={}-{} ecam={}", h.path, h.segment, h.bus_start,
                         h.bus_end, region_text(h.ecam)));
        for (const auto& w : h.windows)
            line(fmt::format("  window {} cpu={:#x} pci={:#x} size={:#x}", w.type, w.cpu_addr,
                             w.pci_addr, w.size));
        for (const auto& r : h.intx_routes)
            line(fmt::format("  intx {:02x}:{:02x}.{} pin={} -> {}", r.bus, r.device, r.function,
                             r.pin, irq_text(r.irq)));
    }
    for (const auto& m : inv.iommus) {
        std::vector<std::string> irqs;
        for (const auto& i : m.irqs)
            irqs.push_back(irq_text(i));
        line(fmt::format("iommu {} {} {} irqs={}", m.type, m.path, region_text(m.region),
                         join(irqs)));
        for (const auto& id : m.id_maps)
            line(fmt::format("  id-map {} in={:#x} out={:#x} count={:#x}", id.source, id.input_base,
                             id.output_base, id.count));
    }
    for (const auto& d : inv.devices) {
        std::vector<std::string> regs, irqs, sids;
        for (const auto& r : d.regs)
            regs.push_back(region_text(r));
        for (const auto& i : d.irqs)
            irqs.push_back(irq_text(i));
        for (uint32_t sid : d.stream_ids)
            sids.push_back(fmt::format("{:#x}", sid));
        line(fmt::format(
            "device {} [{}] regs={} irqs={}{}", d.path, d.status, join(regs), join(irqs),
            d.iommu.empty() ? "" : fmt::format(" iommu={} sids={}", d.iommu, join(sids))));
        if (!d.clocks.empty())
            line("  clocks " + join(d.clocks));
        if (!d.power_domains.empty())
            line("  power-domains " + join(d.power_domains));
        if (!d.resets.empty())
            line("  resets " + join(d.resets));
        for (const auto& n : d.notes)
            line("  note " + n);
    }
    for (const auto& w : inv.warnings)
        line(fmt::format("warning {}: {}", w.code, w.message));
    return s;
}

} // namespace jailconf::testing
