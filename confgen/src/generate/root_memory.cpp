// The root cell's memory: all RAM but the hypervisor's, the firmware ranges /proc/iomem names,
// and the registers of every enabled platform device, page by page rather than whole windows.
#include <fmt/format.h>

#include "generate/parts.hpp"

namespace jailconf::generate {

using inventory::Device;
using inventory::Inventory;
using inventory::ResourceEntry;

namespace {

constexpr uint32_t ram_flags = mem_read | mem_write | mem_execute | mem_dma;
constexpr uint32_t device_flags = mem_read | mem_write | mem_io;

// Region names allow [A-Za-z0-9_.-]: device-tree node names ("serial@9000000") and /proc/iomem
// names ("ACPI Tables") are mapped onto that.
std::string region_name(std::string_view raw) {
    std::string name;
    for (char c : raw) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '.' || c == '-';
        name += ok ? c : '-';
    }
    if (name.empty() || name.front() == '-' || name.front() == '.')
        name.insert(0, "r");
    return name.substr(0, 48); // leaves room for a "-and-N-more" suffix within 63
}

MemoryRegion region(std::string_view name, Span s, uint32_t flags) {
    MemoryRegion r;
    r.name = region_name(name);
    r.phys = PhysAddr{s.begin};
    r.virt = GuestAddr{s.begin};
    r.size = s.size();
    r.flags = flags;
    return r;
}

std::string basename(const std::string& path) {
    size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// /proc/iomem top-level ranges that the root's firmware interfaces need (ACPI tables and NVS,
// ROMs), never plain RAM or PCI windows (devices are mapped one by one).
std::optional<uint32_t> firmware_flags(const ResourceEntry& e) {
    const std::string& n = e.name;
    if (n == "ACPI Tables" || n == "ACPI Non-volatile Storage" || n == "Reserved" ||
        n == "reserved")
        return mem_read | mem_write;
    if (n == "System ROM" || n == "Video ROM" || n == "Adapter ROM")
        return mem_read | mem_execute;
    return std::nullopt;
}

// The GIC's register frames (distributor, redistributors, CPU and hypervisor interfaces, ITSes):
// the hypervisor owns them, and confgen check (JC-MEM-GIC), the verifier and cell_create refuse a
// region over them, so no firmware range or device that happens to enclose one may map it.
std::vector<Span> gic_spans(const Inventory& inv) {
    std::vector<Span> out;
    if (!inv.gic)
        return out;
    auto add = [&out](const inventory::Region& r) {
        if (r.size)
            out.push_back(pages_of(r.base, r.size));
    };
    add(inv.gic->distributor);
    for (const auto& r : inv.gic->redistributors)
        add(r);
    add(inv.gic->cpu_interface);
    add(inv.gic->hyp_interface);
    for (const auto& its : inv.gic->its)
        add(its.region);
    return out;
}

} // namespace

// Devices the hypervisor owns or intercepts, or that are not devices at all.
bool hypervisor_owned(const Inventory& inv, const Device& d) {
    for (const auto& c : d.compatible)
        if (c.find("gic") != std::string::npos || c.find("smmu") != std::string::npos ||
            c.find("mmu-500") != std::string::npos || c.find("pci-host") != std::string::npos ||
            c.find("pcie") != std::string::npos)
            return true;
    if (inv.gic && !d.regs.empty() && d.regs.front().base == inv.gic->distributor.base)
        return true;
    for (const auto& h : inv.pci_hosts)
        if (!h.path.empty() && h.path == d.path)
            return true;
    for (const auto& m : inv.iommus)
        if (!m.path.empty() && m.path == d.path)
            return true;
    return false;
}

std::vector<MemoryRegion> root_memory(const Inventory& inv, Span hv, Notes& notes) {
    std::vector<MemoryRegion> out;
    std::vector<Span> no_map;
    for (const auto& r : inv.reserved)
        if (r.no_map)
            no_map.push_back(pages_of(r.region.base, r.region.size));
    no_map.push_back(hv);

    size_t n = 0;
    for (const auto& m : inv.memory)
        for (auto s : subtract(pages_of(m.region.base, m.region.size), no_map))
            out.push_back(region(fmt::format("ram{}", n++), s, ram_flags));

    // Firmware ranges often enclose what the hypervisor intercepts (the ECAM, IOAPIC, IOMMU).
    std::vector<Span> intercepted = gic_spans(inv);
    intercepted.push_back(hv);
    for (const auto& h : inv.pci_hosts)
        intercepted.push_back(pages_of(h.ecam.base, h.ecam.size));
    for (const auto& m : inv.iommus)
        intercepted.push_back(pages_of(m.region.base, m.region.size));
    if (inv.apic) {
        for (const auto& io : inv.apic->ioapics)
            intercepted.push_back(pages_of(io.base, page));
        if (inv.apic->local_apic_base)
            intercepted.push_back(pages_of(inv.apic->local_apic_base, page));
    }
    for (const auto& e : inv.iomem) {
        if (e.depth != 0)
            continue;
        auto flags = firmware_flags(e);
        if (!flags || e.end < e.start)
            continue;
        for (auto s : subtract(pages_of(e.start, e.end - e.start + 1), intercepted))
            out.push_back(region(e.name, s, *flags));
    }

    std::vector<Span> not_for_devices = gic_spans(inv);
    not_for_devices.push_back(hv);
    for (const auto& d : inv.devices) {
        if (d.status != "okay" || hypervisor_owned(inv, d))
            continue;
        size_t i = 0;
        for (const auto& r : d.regs) {
            if (!r.size)
                continue;
            std::string name = basename(d.path) + (d.regs.size() > 1 ? fmt::format(".{}", i) : "");
            ++i;
            for (auto s : subtract(pages_of(r.base, r.size), not_for_devices))
                out.push_back(region(name, s, device_flags));
        }
    }
    for (const auto& t : inv.timers)
        if (t.region.size)
            out.push_back(region(t.type, pages_of(t.region.base, t.region.size), device_flags));
    if (inv.memory.empty())
        notes.push_back("the inventory has no RAM ranges: the root cell gets no RAM");
    return out;
}

std::vector<MemoryRegion> coalesce(std::vector<MemoryRegion> regions) {
    std::sort(regions.begin(), regions.end(), [](const MemoryRegion& a, const MemoryRegion& b) {
        return a.phys.value < b.phys.value;
    });
    std::vector<MemoryRegion> out;
    size_t merged_names = 0; // other devices folded into out.back()
    auto finish_last = [&] {
        if (!out.empty() && merged_names)
            out.back().name += fmt::format("-and-{}-more", merged_names);
        merged_names = 0;
    };
    for (auto& r : regions) {
        if (!out.empty()) {
            MemoryRegion& last = out.back();
            uint64_t last_end = last.phys.value + last.size;
            bool overlap = r.phys.value < last_end;
            bool mergeable_touch = r.phys.value == last_end && r.flags == last.flags &&
                                   (r.flags & mem_io) && r.name == last.name;
            if (overlap || mergeable_touch) {
                uint64_t end = std::max(last_end, r.phys.value + r.size);
                last.size = end - last.phys.value;
                if (r.flags != last.flags)
                    last.flags |= r.flags & ~mem_execute;
                if (r.name != last.name)
                    ++merged_names;
                continue;
            }
        }
        finish_last();
        out.push_back(std::move(r));
    }
    finish_last();
    return out;
}

} // namespace jailconf::generate
