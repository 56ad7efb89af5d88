// Scanned facts behind a resource, worded for provenance with their origin (file+offset or
// device-tree node), and the provenance of what the root cell keeps.
#include <fmt/format.h>

#include "plan/state.hpp"

namespace jailconf::plan::detail {

std::string Facts::cpu(uint32_t id) const {
    for (const auto& c : inv_.cpus)
        if (c.id == id)
            return fmt::format("CPU {} (hw_id {:#x}) from {}", id, c.hw_id, c.origin.str());
    return fmt::format("CPU {} (not in the inventory)", id);
}

std::string Facts::memory(Span s) const {
    for (const auto& m : inv_.memory)
        if (s.begin >= m.region.base && s.end <= m.region.base + m.region.size)
            return fmt::format("RAM {:#x}+{:#x} from {}", m.region.base, m.region.size,
                               m.origin.str());
    for (const auto& d : inv_.devices)
        for (const auto& r : d.regs)
            if (r.size && s.overlaps(generate::pages_of(r.base, r.size)))
                return fmt::format("registers {:#x}+{:#x} of {} from {}", r.base, r.size, d.path,
                                   d.origin.str());
    for (const auto& f : inv_.pci)
        for (const auto& b : f.bars)
            if (!b.io && b.region.size &&
                s.overlaps(generate::pages_of(b.region.base, b.region.size)))
                return fmt::format("BAR {} of PCI {} from {}", b.index, f.bdf(), f.origin.str());
    for (const auto& t : inv_.timers)
        if (t.region.size && s.overlaps(generate::pages_of(t.region.base, t.region.size)))
            return fmt::format("{} registers from {}", t.type, t.origin.str());
    for (const auto& e : inv_.iomem)
        if (e.depth == 0 && s.begin >= e.start && s.begin <= e.end)
            return fmt::format("/proc/iomem '{}' {:#x}-{:#x}", e.name, e.start, e.end);
    return fmt::format("{:#x}-{:#x} (no inventory fact covers it)", s.begin, s.end - 1);
}

std::string Facts::irq(uint32_t intid) const {
    for (const auto& d : inv_.devices)
        for (const auto& i : d.irqs)
            if (i.id == intid)
                return fmt::format("interrupt of {} from {}", d.path, d.origin.str());
    for (const auto& h : inv_.pci_hosts)
        for (const auto& r : h.intx_routes)
            if (r.irq.id == intid)
                return fmt::format("PCI INTx route of {} from {}", h.path.empty() ? "MCFG" : h.path,
                                   h.origin.str());
    for (const auto& f : inv_.pci)
        if (f.irq && *f.irq == intid)
            return fmt::format("INTx of PCI {} from {}", f.bdf(), f.origin.str());
    return fmt::format("interrupt {} (ISA/ACPI line or no device)", intid);
}

std::string Facts::pci(const Bdf& bdf) const {
    for (const auto& f : inv_.pci)
        if (f.segment == bdf.segment && f.bus == bdf.bus && f.device == bdf.device &&
            f.function == bdf.function)
            return fmt::format("PCI {} [{:04x}:{:04x}] class {:06x}{} from {}", f.bdf(),
                               f.vendor_id, f.device_id, f.class_code,
                               f.iommu_group ? fmt::format(", IOMMU group {}", *f.iommu_group)
                                             : std::string(),
                               f.origin.str());
    return fmt::format("PCI {} (not in the inventory)", format_bdf(bdf));
}

std::string Facts::stream_id(uint32_t sid) const {
    for (const auto& d : inv_.devices)
        for (uint32_t s : d.stream_ids)
            if (s == sid)
                return fmt::format("stream id of {} behind {} from {}", d.path, d.iommu,
                                   d.origin.str());
    return fmt::format("stream id {:#x}", sid);
}

std::string Facts::console(uint64_t base) const {
    for (const auto& c : inv_.consoles)
        if (c.base == base)
            return fmt::format("{} UART{} at {:#x} from {}", c.type,
                               c.path.empty() ? "" : " " + c.path, base, c.origin.str());
    return fmt::format("UART at {:#x}", base);
}

void record_root(State& st) {
    const Cell& root = st.root();
    const std::string cell = root.name;
    const std::string rule = "kept by the root cell: generate gives the root everything the "
                             "machine has; the request did not give it to another cell";
    SourceLocation none;
    for (const auto& r : root.cpus)
        for (uint64_t id = r.first; id <= r.last; ++id)
            st.record(cell, cpu_key(uint32_t(id)), "inventory", st.facts.cpu(uint32_t(id)), none,
                      rule);
    for (const auto& m : root.memory)
        st.record(cell, memory_key(m.phys.value), "inventory",
                  st.facts.memory({m.phys.value, m.phys.value + m.size}), none, rule);
    for (const auto& r : root.irqs)
        for (uint64_t id = r.first; id <= r.last; ++id)
            st.record(cell, irq_key(uint32_t(id)), "inventory", st.facts.irq(uint32_t(id)), none,
                      rule);
    for (const auto& d : root.pci_devices)
        st.record(cell, pci_key(d.bdf), "inventory", st.facts.pci(d.bdf), none, rule);
    for (const auto& s : root.stream_ids)
        st.record(cell, sid_key(s.id), "inventory", st.facts.stream_id(s.id), none, rule);
    for (const auto& p : root.pio)
        st.record(cell, pio_key(p.base), "inventory",
                  fmt::format("ports {:#x}+{:#x} (/proc/ioports or an I/O BAR)", p.base, p.size),
                  none, rule);
    if (root.console)
        st.record(cell, "console", "inventory", st.facts.console(root.console->base), none,
                  "the root cell shares the hypervisor's console (generate's choice: the "
                  "firmware's chosen UART)");
    const auto& hv = st.sys.hypervisor;
    st.record("hypervisor", "memory",
              st.req.hv_memory_size || st.req.hv_memory_phys ? "request" : "policy",
              st.facts.memory({hv.memory_phys.value, hv.memory_phys.value + hv.memory_size}),
              st.req.hv_loc,
              "the top of the highest RAM range that holds it, 2 MiB aligned, clear of reserved "
              "ranges (unless the request gives phys)");
}

} // namespace jailconf::plan::detail
