#include "core/cells/ownership.hpp"

namespace hv::cells {
namespace jcb = jailconf::jcb;

namespace {
// Region flags a non-root cell may use. Memory shared with other cells goes through links
// (links.hpp), which the system descriptor declares; the region flags shared and rootshared
// are refused rather than silently treated as private memory.
constexpr uint32_t supported_cell_flags = jcb::mem_read | jcb::mem_write | jcb::mem_execute |
                                          jcb::mem_dma | jcb::mem_io | jcb::mem_loadable |
                                          jcb::mem_comm_region;
constexpr uint64_t page = 4096;
// The interrupts a cell can own: the SPIs (core/gic/virtual_gic.hpp has the same bounds).
constexpr uint32_t spi_first = 32, spi_end = 1020;

// A communication region is one page (or more; the ABI uses the first) of RAM the cell can read
// and write, page aligned on both sides.
bool valid_comm_region(const Region& r) {
    const uint32_t rw = jcb::mem_read | jcb::mem_write;
    return !r.is_io() && (r.flags & rw) == rw && r.size >= jailconf::comm::region_size &&
           r.phys % page == 0 && r.virt % page == 0;
}

Region region_of(const jcb::MemoryElem& m) {
    return {m.phys.get(), m.virt.get(), m.size.get(), m.flags.get()};
}
} // namespace

int comm_region_index(const jcb::BlobView& cell) {
    const auto regions = cell.memory();
    for (uint32_t i = 0; i < regions.size(); ++i) {
        if ((regions[i].flags.get() & jcb::mem_comm_region) != 0)
            return int(i);
    }
    return -1;
}

Result<void> Ownership::set_root(const jcb::BlobView& system) {
    *this = Ownership();
    const auto regions = system.memory();
    if (regions.size() > root_region_limit)
        return Error::too_many_regions;
    gic_platform_ = jcb::gic_platform_of(system.platform(), system.platform_cpus().size());
    gic_ = jcb::gic_ranges(gic_platform_);
    for (const jcb::MemoryElem m : regions)
        root_regions_[root_region_count_++] = region_of(m);
    for (const jcb::RangeElem r : system.cpus()) {
        if (r.last.get() >= cpu_limit)
            return Error::cpu_out_of_range;
        for (uint32_t cpu = r.first.get(); cpu <= r.last.get(); ++cpu)
            root_cpus_.add(cpu);
    }
    for (const jcb::RangeElem r : system.irqs()) {
        // Only SPIs can be owned: an LPI (8192 and up) or ITS use is not supported, and saying
        // so beats leaving the interrupt silently unserved.
        if (r.first.get() < spi_first || r.last.get() >= spi_end)
            return Error::irq_not_spi;
        for (uint32_t irq = r.first.get(); irq <= r.last.get(); ++irq)
            root_irqs_.add(irq);
    }
    return {};
}

Result<void> Ownership::set_redistributor_frames(unsigned frames) {
    if (frames > gic_platform_.cpus)
        gic_platform_.cpus = frames;
    gic_ = jcb::gic_ranges(gic_platform_);
    for (unsigned i = 0; i < root_region_count_; ++i) {
        if (jcb::gic_range_hit(gic_, root_regions_[i].phys, root_regions_[i].size) != nullptr)
            return Error::gic_region;
    }
    return {};
}

bool Ownership::lent(uint64_t phys, uint64_t size) const {
    for (unsigned slot = 0; slot < cell_limit; ++slot) {
        if (!taken_[slot])
            continue;
        for (unsigned i = 0; i < cells_[slot].region_count; ++i) {
            const Region& r = cells_[slot].regions[i];
            if (ranges_overlap(phys, size, r.phys, r.size))
                return true;
        }
    }
    return false;
}

const Region* Ownership::root_region_holding(uint64_t phys, uint64_t size, bool io) const {
    for (unsigned i = 0; i < root_region_count_; ++i) {
        const Region& r = root_regions_[i];
        if (r.is_io() == io && range_inside(phys, size, r.phys, r.size))
            return &r;
    }
    return nullptr;
}

Result<uint64_t> Ownership::root_memory(uint64_t ipa, uint64_t size) const {
    for (unsigned i = 0; i < root_region_count_; ++i) {
        const Region& r = root_regions_[i];
        if (r.is_io() || (r.flags & jcb::mem_read) == 0 || !range_inside(ipa, size, r.virt, r.size))
            continue;
        const uint64_t phys = r.phys + (ipa - r.virt);
        if (lent(phys, size))
            return Error::memory_not_owned;
        return phys;
    }
    return Error::memory_not_owned;
}

Result<uint64_t> Ownership::cell_memory(unsigned slot, uint64_t ipa, uint64_t size,
                                        uint32_t required) const {
    if (slot >= cell_limit || !taken_[slot])
        return Error::no_such_cell;
    const CellResources& cell = cells_[slot];
    for (unsigned i = 0; i < cell.region_count; ++i) {
        const Region& r = cell.regions[i];
        if (!r.is_io() && (r.flags & required) == required &&
            range_inside(ipa, size, r.virt, r.size))
            return r.phys + (ipa - r.virt);
    }
    return Error::not_loadable;
}

TransferFinding Ownership::check_transfer(const jcb::BlobView& cell, CpuSet online) const {
    using K = ResourceKind;
    if (cell.cpus().empty())
        return {Error::no_cpus, K::cpu, 0};
    for (const jcb::RangeElem r : cell.cpus()) {
        for (uint64_t cpu = r.first.get(); cpu <= r.last.get(); ++cpu) {
            if (cpu >= cpu_limit)
                return {Error::cpu_out_of_range, K::cpu, cpu};
            if (!root_cpus_.contains(unsigned(cpu)))
                return {Error::cpu_not_owned, K::cpu, cpu};
            if (online.contains(unsigned(cpu)))
                return {Error::cpu_online, K::cpu, cpu};
        }
    }
    const auto regions = cell.memory();
    if (regions.size() > cell_region_limit)
        return {Error::too_many_regions, K::memory, regions.size()};
    for (uint32_t i = 0; i < regions.size(); ++i) {
        const Region r = region_of(regions[i]);
        if ((r.flags & ~supported_cell_flags) != 0)
            return {Error::unsupported_resource, K::memory, i};
        if ((r.flags & jcb::mem_comm_region) != 0 &&
            (!valid_comm_region(r) || int(i) != comm_region_index(cell)))
            return {Error::bad_comm_region, K::memory, i};
        // A cell blob carries no platform: the GIC comes from the system descriptor's. The root
        // never holds it (the verifier refuses that), so this is the precise reason.
        if (jcb::gic_range_hit(gic_, r.phys, r.size) != nullptr)
            return {Error::gic_region, K::memory, i};
        if (root_region_holding(r.phys, r.size, r.is_io()) == nullptr)
            return {Error::memory_not_owned, K::memory, i};
        if (lent(r.phys, r.size))
            return {Error::memory_in_use, K::memory, i};
    }
    for (const jcb::RangeElem r : cell.irqs()) {
        for (uint64_t irq = r.first.get(); irq <= r.last.get(); ++irq) {
            if (irq < spi_first || irq >= spi_end)
                return {Error::irq_not_spi, K::irq, irq};
            if (!root_irqs_.contains(uint32_t(irq)))
                return {Error::irq_not_owned, K::irq, irq};
        }
    }
    if (!cell.pci_devices().empty() || !cell.stream_ids().empty() || !cell.pio().empty() ||
        !cell.links().empty())
        return {Error::unsupported_resource, K::other, 0};
    if (cell.has_watchdog() && comm_region_index(cell) < 0)
        return {Error::watchdog_without_comm_region, K::other, 0};
    return {};
}

Region Ownership::root_view_of(uint64_t phys, uint64_t size) const {
    for (int io = 0; io < 2; ++io) {
        if (const Region* r = root_region_holding(phys, size, io != 0))
            return {phys, r->virt + (phys - r->phys), size, r->flags};
    }
    return {};
}

void Ownership::take(unsigned slot, const jcb::BlobView& cell) {
    CellResources& c = cells_[slot];
    c = CellResources();
    for (const jcb::RangeElem r : cell.cpus()) {
        for (uint32_t cpu = r.first.get(); cpu <= r.last.get() && cpu < cpu_limit; ++cpu)
            c.cpus.add(cpu);
    }
    for (const jcb::RangeElem r : cell.irqs()) {
        for (uint32_t irq = r.first.get(); irq <= r.last.get() && irq < irq_limit; ++irq)
            c.irqs.add(irq);
    }
    for (const jcb::MemoryElem m : cell.memory()) {
        if (c.region_count < cell_region_limit)
            c.regions[c.region_count++] = region_of(m);
    }
    root_cpus_.remove_all(c.cpus);
    root_irqs_.remove_all(c.irqs);
    taken_[slot] = true;
}

void Ownership::give_back(unsigned slot) {
    if (slot >= cell_limit || !taken_[slot])
        return;
    root_cpus_.add_all(cells_[slot].cpus);
    root_irqs_.add_all(cells_[slot].irqs);
    cells_[slot] = CellResources();
    taken_[slot] = false;
}

} // namespace hv::cells
