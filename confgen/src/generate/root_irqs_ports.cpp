// Interrupts and x86 I/O ports of the root cell.
#include <fmt/format.h>
#include <set>

#include "generate/parts.hpp"

namespace jailconf::generate {

using inventory::Inventory;

namespace {

std::vector<IdRange> to_ranges(const std::set<uint32_t>& ids) {
    std::vector<IdRange> out;
    for (uint32_t id : ids) {
        if (!out.empty() && out.back().last + 1 == id)
            out.back().last = id;
        else
            out.push_back({id, id, {}});
    }
    return out;
}

// Legacy devices a root cell's kernel drives directly, by their /proc/ioports names. Everything
// else (PCI conf1 at 0xcf8, unknown ports) stays trapped by the hypervisor.
bool root_needs_port(const std::string& name) {
    static constexpr const char* names[] = {"serial",       "timer0", "timer1", "keyboard", "rtc0",
                                            "rtc_cmos",     "pic1",   "pic2",   "dma1",     "dma2",
                                            "dma page reg", "fpu",    "vga+"};
    for (const char* n : names)
        if (name == n)
            return true;
    return name.starts_with("ACPI "); // PM1a/PM timer/GPE blocks: the root owns power management
}

} // namespace

std::vector<IdRange> root_irqs(const Inventory& inv, Arch arch, Notes& notes) {
    std::set<uint32_t> ids;
    if (arch == Arch::x86_64) {
        // ISA lines 0-15 (through the MADT overrides), the SCI and the PCI INTx lines.
        for (uint32_t isa = 0; isa < 16; ++isa) {
            uint32_t gsi = isa;
            if (inv.apic)
                for (const auto& o : inv.apic->overrides)
                    if (o.bus == 0 && o.source == isa)
                        gsi = o.gsi;
            if (gsi <= 255)
                ids.insert(gsi);
        }
        if (inv.acpi.sci_irq && inv.acpi.sci_irq <= 255)
            ids.insert(inv.acpi.sci_irq);
        for (const auto& f : inv.pci)
            if (f.intx_pin && f.irq && *f.irq > 0 && *f.irq <= 255)
                ids.insert(*f.irq);
        return to_ranges(ids);
    }
    // GIC: the SPIs of the devices the root keeps, and the PCI host's INTx routes.
    for (const auto& d : inv.devices) {
        if (d.status != "okay")
            continue;
        for (const auto& i : d.irqs)
            if (i.id >= 32 && i.id <= 1019)
                ids.insert(i.id);
    }
    for (const auto& h : inv.pci_hosts)
        for (const auto& r : h.intx_routes)
            if (r.irq.id >= 32 && r.irq.id <= 1019)
                ids.insert(r.irq.id);
    if (inv.gic && inv.gic->maintenance_irq)
        ids.erase(inv.gic->maintenance_irq);
    if (ids.empty())
        notes.push_back("no device interrupts found for the root cell");
    return to_ranges(ids);
}

std::vector<PioRange> root_legacy_ports(const Inventory& inv, Notes& notes) {
    std::vector<PioRange> out;
    for (const auto& r : inv.ioports) {
        if (!root_needs_port(r.name) || r.end < r.start || r.end > 0xffff)
            continue;
        out.push_back({uint16_t(r.start), uint32_t(r.end - r.start + 1), {}});
    }
    if (inv.ioports.empty())
        notes.push_back("no /proc/ioports in the inventory: the root cell gets no legacy ports");
    return out;
}

} // namespace jailconf::generate
