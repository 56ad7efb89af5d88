#include "core/faults/attribution.hpp"

#include "core/format/format.hpp"
#include "jailconf/gic_ranges.hpp"

namespace hv::faults {
namespace jcb = jailconf::jcb;
namespace {

bool inside(uint64_t address, uint64_t base, uint64_t size) {
    return size != 0 && address >= base && address - base < size;
}

// The region of `cell` holding physical `address`, as "<cell>/<region>" (or "<cell>/#<index>").
bool in_cell(const jcb::BlobView& cell, uint64_t address, char* out, size_t capacity) {
    const auto regions = cell.memory();
    for (uint32_t i = 0; i < regions.size(); ++i) {
        const jcb::MemoryElem m = regions[i];
        if (!inside(address, m.phys.get(), m.size.get()))
            continue;
        const char* cell_name = cell.string(cell.cell().name);
        const char* region = cell.string(m.name);
        if (region[0] != '\0')
            fmt::format_to(out, capacity, "%s/%s", cell_name, region);
        else
            fmt::format_to(out, capacity, "%s/#%u", cell_name, i);
        return true;
    }
    return false;
}

} // namespace

bool name_address(const jcb::BlobView& system, const jcb::BlobView* cells, unsigned count,
                  uint64_t address, char* out, size_t capacity) {
    if (capacity > 0)
        out[0] = '\0';
    const jcb::HypervisorElem hv = system.hypervisor();
    if (inside(address, hv.memory_phys.get(), hv.memory_size.get())) {
        fmt::format_to(out, capacity, "hypervisor memory");
        return true;
    }
    const jcb::GicRanges gic =
        jcb::gic_ranges(jcb::gic_platform_of(system.platform(), system.platform_cpus().size()));
    if (const jcb::GicRange* r = jcb::gic_range_hit(gic, address, 1)) {
        fmt::format_to(out, capacity, "%s", jcb::gic_block_name(r->block));
        return true;
    }
    const jcb::PlatformElem p = system.platform();
    if ((p.flags.get() & jcb::platform_has_pci) != 0 &&
        inside(address, p.pci_ecam.get(), p.pci_ecam_size.get())) {
        fmt::format_to(out, capacity, "PCI ECAM");
        return true;
    }
    const auto iommus = system.iommus();
    for (uint32_t i = 0; i < iommus.size(); ++i) {
        if (inside(address, iommus[i].base.get(), iommus[i].size.get())) {
            fmt::format_to(out, capacity, "IOMMU %u", i);
            return true;
        }
    }
    // Non-root cells first (their memory was the root's: the system descriptor still lists it),
    // then the root; both before the hypervisor's console, so a root that maps the UART names it.
    for (unsigned c = 0; c < count; ++c) {
        if (cells[c].valid() && in_cell(cells[c], address, out, capacity))
            return true;
    }
    if (in_cell(system, address, out, capacity))
        return true;
    if ((hv.flags.get() & jcb::hypervisor_has_console) != 0 &&
        inside(address, hv.console.base.get(),
               hv.console.size.get() != 0 ? hv.console.size.get() : 0x1000)) {
        fmt::format_to(out, capacity, "hypervisor console");
        return true;
    }
    return false;
}

} // namespace hv::faults
