// The platform section of a generated system: CPUs, interrupt controller, PCI host, IOMMUs, and
// the hypervisor's console, all taken from the inventory.
#include "generate/parts.hpp"

#include <fmt/format.h>

namespace jailconf::generate {

using inventory::Gic;
using inventory::Inventory;

std::optional<Arch> machine_arch(const Inventory& inv) {
    if (inv.machine.arch == "arm64" || (inv.machine.arch.empty() && inv.gic))
        return Arch::arm64;
    if (inv.machine.arch == "x86_64" || (inv.machine.arch.empty() && inv.apic))
        return Arch::x86_64;
    if (inv.machine.arch == "arm32")
        return Arch::arm32;
    return std::nullopt;
}

std::string platform_name(const Inventory& inv) {
    std::string source = !inv.machine.model.empty()        ? inv.machine.model
                         : !inv.machine.compatible.empty() ? inv.machine.compatible.front()
                                                           : "machine";
    std::string name;
    for (char c : source) {
        bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (c >= 'A' && c <= 'Z')
            name += char(c - 'A' + 'a');
        else if (keep)
            name += c;
        else if (!name.empty() && name.back() != '-')
            name += '-';
    }
    while (!name.empty() && name.back() == '-')
        name.pop_back();
    if (name.size() > 63)
        name.resize(63);
    return name.empty() ? "machine" : name;
}

Expected<Platform, GenerateError> make_platform(const Inventory& inv, Arch arch, Notes& notes) {
    Platform p;
    for (const auto& c : inv.cpus)
        if (c.enabled)
            p.cpus.push_back({c.id, c.hw_id, {}});
    if (p.cpus.empty())
        return Unexpected(GenerateError{
            "the inventory lists no usable CPU",
            "scan the machine with its device tree or ACPI tables available (see 'confgen scan')"});

    if (arch == Arch::x86_64) {
        if (inv.apic && !inv.apic->ioapics.empty()) {
            IrqChip chip;
            chip.type = IrqChipType::apic;
            chip.ioapic = inv.apic->ioapics.front().base;
            p.irqchip = chip;
        } else {
            notes.push_back("no IOAPIC in the inventory: the platform has no interrupt controller "
                            "entry");
        }
    } else if (inv.gic) {
        const Gic& g = *inv.gic;
        IrqChip chip;
        chip.type = g.type == "gicv2" ? IrqChipType::gicv2 : IrqChipType::gicv3;
        chip.gicd = g.distributor.base;
        if (chip.type == IrqChipType::gicv2) {
            chip.gicc = g.cpu_interface.base;
            if (g.hyp_interface.size)
                chip.gich = g.hyp_interface.base;
            if (g.vcpu_interface.size)
                chip.gicv = g.vcpu_interface.base;
        } else {
            if (!g.redistributors.empty())
                chip.gicr = g.redistributors.front().base;
            chip.gicr_stride = g.redistributor_stride ? g.redistributor_stride : 0x20000;
            if (g.redistributors.size() > 1)
                notes.push_back(fmt::format("the GIC has {} redistributor regions; the platform "
                                            "records the first",
                                            g.redistributors.size()));
        }
        p.irqchip = chip;
    } else {
        notes.push_back("no GIC in the inventory: the platform has no interrupt controller entry");
    }

    for (const auto& h : inv.pci_hosts) {
        if (!h.ecam.size)
            continue;
        if (p.pci) {
            notes.push_back(fmt::format("PCI segment {} (ECAM {:#x}) is not described: the format "
                                        "holds one host bridge",
                                        h.segment, h.ecam.base));
            continue;
        }
        PciHost host;
        host.ecam = h.ecam.base;
        host.ecam_size = h.ecam.size;
        host.bus_start = h.bus_start;
        host.bus_end = h.bus_end;
        host.segment = h.segment;
        p.pci = host;
    }

    for (const auto& m : inv.iommus) {
        std::optional<IommuType> type;
        if (m.type == "smmuv3")
            type = IommuType::smmuv3;
        else if (m.type == "smmuv2" || m.type == "smmuv1")
            type = IommuType::smmuv2;
        else if (m.type == "vtd")
            type = IommuType::vtd;
        else if (m.type == "amd-vi")
            type = IommuType::amd_vi;
        if (!type || !m.region.size) {
            notes.push_back(fmt::format("IOMMU {} ({}) left out: unknown type or size",
                                        m.path.empty() ? m.origin.str() : m.path, m.type));
            continue;
        }
        p.iommus.push_back(
            {*type, page_down(m.region.base), pages_of(m.region.base, m.region.size).size(), {}});
    }
    p.name = platform_name(inv);
    return p;
}

std::optional<jailconf::Console> console_for(const inventory::Console& c, Arch arch) {
    jailconf::Console out;
    out.base = c.base;
    if (c.port_io) {
        if (arch != Arch::x86_64)
            return std::nullopt;
        out.type = ConsoleType::ns16550_pio;
        out.size = 8;
    } else if (c.type.find("pl011") != std::string::npos) {
        out.type = ConsoleType::pl011;
        out.size = page;
    } else if (c.type.find("8250") != std::string::npos ||
               c.type.find("16550") != std::string::npos ||
               c.type.find("uart") != std::string::npos) {
        out.type = ConsoleType::ns16550;
        out.size = page;
    } else {
        return std::nullopt;
    }
    return out;
}

// The chosen console if the hypervisor can drive it, else the first one it can.
std::optional<jailconf::Console> pick_console(const Inventory& inv, Arch arch) {
    for (int pass = 0; pass < 2; ++pass)
        for (const auto& c : inv.consoles)
            if ((pass == 1 || c.chosen))
                if (auto con = console_for(c, arch))
                    return con;
    // x86 without SPCR: COM1 when /proc/ioports shows it.
    if (arch == Arch::x86_64)
        for (const auto& r : inv.ioports)
            if (r.name == "serial" && r.start == 0x3f8)
                return jailconf::Console{ConsoleType::ns16550_pio, 0x3f8, 8, {}};
    return std::nullopt;
}

} // namespace jailconf::generate
