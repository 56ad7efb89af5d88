// Who owns what: the root cell starts with every resource its system descriptor gives it, and
// non-root cells are made of resources taken from it. This ledger checks that a cell blob asks
// only for resources the root owns and nobody uses (CPUs, memory, interrupts), records the
// transfer, gives everything back when the cell is destroyed, and translates the guest
// addresses hypercalls pass into physical ones, refusing any range the caller does not own.
// Arch-neutral: moving the memory in the stage-2 tables is the caller's job (lifecycle.hpp).
#pragma once

#include <stdint.h>

#include "core/cells/cpu_set.hpp"
#include "core/cells/irq_set.hpp"
#include "core/result/result.hpp"
#include "jailconf/blob_view.hpp"
#include "jailconf/comm_region.hpp"
#include "jailconf/gic_ranges.hpp"

namespace hv::cells {

// One cell per CPU at most (the root cell included): a cell needs a CPU to run on.
inline constexpr unsigned cell_limit = cpu_limit;
inline constexpr unsigned root_region_limit = 64;
inline constexpr unsigned cell_region_limit = 16;

struct Region {
    uint64_t phys = 0;
    uint64_t virt = 0;
    uint64_t size = 0;
    uint32_t flags = 0; // jailconf::jcb::MemFlagBit

    constexpr bool is_io() const { return (flags & jailconf::jcb::mem_io) != 0; }
};

// Whether [base, base + size) lies inside [outer, outer + outer_size); overflow-safe for any
// 64-bit values (size 0 is never inside).
constexpr bool range_inside(uint64_t base, uint64_t size, uint64_t outer, uint64_t outer_size) {
    return size != 0 && base >= outer && base - outer <= outer_size &&
           size <= outer_size - (base - outer);
}
// Whether two ranges share a byte; the ranges must not wrap (verified regions never do).
constexpr bool ranges_overlap(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size) {
    return a_size != 0 && b_size != 0 && a < b + b_size && b < a + a_size;
}

// The index of the cell's communication region (the region flagged comm_region), or -1.
int comm_region_index(const jailconf::jcb::BlobView& cell);

// What a non-root cell took from the root.
struct CellResources {
    CpuSet cpus;
    IrqSet irqs;
    Region regions[cell_region_limit];
    unsigned region_count = 0;
};

// The first reason a cell cannot take its resources, and which one.
enum class ResourceKind : uint8_t { none, cpu, memory, irq, other };
struct TransferFinding {
    Error error = Error::ok;
    ResourceKind kind = ResourceKind::none;
    uint64_t which = 0; // CPU id, region index or INTID

    constexpr bool ok() const { return error == Error::ok; }
};

class Ownership {
  public:
    // Starts the ledger from the root cell of a verified system blob, and keeps its platform's
    // GIC ranges, which no cell region may overlap.
    Result<void> set_root(const jailconf::jcb::BlobView& system);

    // The physical address of [ipa, ipa + size) of the root cell's memory: inside one readable,
    // non-io root region and not given to another cell. Error::memory_not_owned otherwise.
    Result<uint64_t> root_memory(uint64_t ipa, uint64_t size) const;

    // The physical address of [ipa, ipa + size) of cell `slot`, inside one of its regions that
    // has every flag of `required` (Error::not_loadable otherwise).
    Result<uint64_t> cell_memory(unsigned slot, uint64_t ipa, uint64_t size,
                                 uint32_t required) const;

    // Whether `cell` (a verified cell blob) can take its resources now; `online` are the CPUs
    // currently running. Reports the first resource that cannot be taken.
    TransferFinding check_transfer(const jailconf::jcb::BlobView& cell, CpuSet online) const;

    // Where physical range [phys, phys + size) appears in the root cell's guest space (its
    // region's `virt` plus the offset) and with which region flags; the range must lie in one
    // root region (check_transfer() made sure).
    Region root_view_of(uint64_t phys, uint64_t size) const;

    // Records that `slot` took the resources of `cell` (after check_transfer()).
    void take(unsigned slot, const jailconf::jcb::BlobView& cell);
    // Returns everything `slot` took to the root.
    void give_back(unsigned slot);

    const CellResources& resources(unsigned slot) const { return cells_[slot]; }
    CpuSet root_cpus() const { return root_cpus_; }
    const IrqSet& root_irqs() const { return root_irqs_; }
    unsigned root_region_count() const { return root_region_count_; }
    const Region& root_region(unsigned i) const { return root_regions_[i]; }
    const jailconf::jcb::GicRanges& gic() const { return gic_; }
    // The GIC may have more redistributor frames than the platform lists CPUs, and the
    // hypervisor emulates every frame it finds: widens the refused range to `frames` frames.
    // Error::gic_region when a root region overlaps the widened range.
    Result<void> set_redistributor_frames(unsigned frames);

  private:
    // Whether any byte of [phys, phys + size) belongs to a non-root cell.
    bool lent(uint64_t phys, uint64_t size) const;
    const Region* root_region_holding(uint64_t phys, uint64_t size, bool io) const;

    jailconf::jcb::GicPlatform gic_platform_;
    jailconf::jcb::GicRanges gic_;
    Region root_regions_[root_region_limit];
    unsigned root_region_count_ = 0;
    CpuSet root_cpus_;
    IrqSet root_irqs_;
    CellResources cells_[cell_limit];
    bool taken_[cell_limit] = {};
};

} // namespace hv::cells
