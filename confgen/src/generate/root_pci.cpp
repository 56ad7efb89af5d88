// PCI functions of the root cell. Config space is reached only through the hypervisor's ECAM
// interception, so the cell gets each function's description (BARs, capabilities, MSI/MSI-X),
// and direct mappings of the BARs, minus the MSI-X table pages the hypervisor must trap.
#include <fmt/format.h>

#include "generate/parts.hpp"

namespace jailconf::generate {

using inventory::Inventory;
using inventory::PciCapability;
using inventory::PciFunction;

namespace {

constexpr uint32_t device_flags = mem_read | mem_write | mem_io;

// How many config-space bytes a capability spans: its architected size where fixed, otherwise
// up to the next capability (or the end of its config-space area).
uint16_t capability_size(const PciFunction& f, const PciCapability& c) {
    if (!c.extended) {
        switch (c.id) {
        case 0x01: // power management
            return 8;
        case 0x05: // MSI: 10 bytes, +4 for 64-bit addresses, +10 for per-vector masking
            return uint16_t(10 + (f.msi && f.msi->is64 ? 4 : 0) +
                            (f.msi && f.msi->per_vector_mask ? 10 : 0));
        case 0x10: // PCI Express
            return 0x3c;
        case 0x11: // MSI-X
            return 12;
        default:
            break;
        }
    }
    uint16_t end = c.extended ? 0x1000 : 0x100;
    for (const auto& o : f.capabilities)
        if (o.extended == c.extended && o.offset > c.offset && o.offset < end)
            end = o.offset;
    return uint16_t(std::min<int>(end - c.offset, c.extended ? 0x1000 : 0x100));
}

std::string short_bdf(const PciFunction& f) {
    return fmt::format("{:02x}-{:02x}.{}", f.bus, f.device, f.function);
}

} // namespace

std::vector<PciDevice> root_pci_devices(const Inventory& inv, Arch arch,
                                        std::vector<MemoryRegion>& memory,
                                        std::vector<PioRange>& pio, Notes& notes) {
    std::vector<PciDevice> out;
    for (const auto& f : inv.pci) {
        PciDevice d;
        d.bdf = Bdf{f.segment, f.bus, f.device, f.function};
        d.type = f.is_bridge() ? PciDeviceType::bridge : PciDeviceType::device;
        for (const auto& b : f.bars) {
            if (b.index > 5 || !b.region.size)
                continue; // the ROM (index 6) is read through config space, not mapped
            PciBar bar;
            bar.index = b.index;
            bar.type = b.io ? BarType::io : b.is64 ? BarType::mem64 : BarType::mem32;
            bar.addr = b.region.base;
            bar.size = b.region.size;
            bar.prefetchable = b.prefetchable;
            d.bars.push_back(bar);

            if (b.io) {
                if (arch == Arch::x86_64 && b.region.base + b.region.size <= 0x10000)
                    pio.push_back({uint16_t(b.region.base), uint32_t(b.region.size), {}});
                continue;
            }
            std::vector<Span> holes;
            if (f.msix && f.msix->table_bar == b.index)
                holes.push_back(pages_of(b.region.base + f.msix->table_offset,
                                         uint64_t(f.msix->table_size) * 16));
            Span whole = pages_of(b.region.base, b.region.size);
            for (auto s : subtract(whole, holes)) {
                MemoryRegion r;
                r.name = fmt::format("pci-{}-bar{}", short_bdf(f), b.index);
                r.phys = PhysAddr{s.begin};
                r.virt = GuestAddr{s.begin};
                r.size = s.size();
                r.flags = device_flags;
                memory.push_back(std::move(r));
            }
        }
        for (const auto& c : f.capabilities)
            d.caps.push_back({c.id, c.offset, capability_size(f, c), c.extended, false, {}});
        if (f.msi)
            d.msi = PciMsi{f.msi->vectors, f.msi->is64, f.msi->per_vector_mask, {}};
        if (f.msix)
            d.msix = PciMsix{f.msix->table_size, f.msix->table_bar,  f.msix->table_offset,
                             f.msix->pba_bar,    f.msix->pba_offset, {}};
        out.push_back(std::move(d));
    }
    if (!inv.pci.empty() && inv.pci_hosts.empty())
        notes.push_back("PCI functions were found but no ECAM (no MCFG or PCI host node): the "
                        "hypervisor cannot intercept their config space");
    return out;
}

} // namespace jailconf::generate
