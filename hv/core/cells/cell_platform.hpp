// What the cell lifecycle (lifecycle.hpp) needs from the architecture: memory access by
// physical address, stage-2 tables, and starting and stopping physical CPUs. hv/arch/<arch>
// implements it for the hypervisor; tests/unit implement a fake that records every call.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/cells/cpu_set.hpp"
#include "core/cells/irq_set.hpp"
#include "core/result/result.hpp"
#include "jailconf/blob_view.hpp"

namespace hv::cells {

class CellPlatform {
  public:
    // Memory the hypervisor may touch: the root cell's non-io memory (which is also all memory
    // any cell can own). The lifecycle checks every range before calling these.
    virtual void read_memory(uint64_t phys, void* out, size_t size) = 0;
    virtual void zero_memory(uint64_t phys, uint64_t size) = 0;
    virtual void copy_memory(uint64_t dst_phys, uint64_t src_phys, uint64_t size) = 0;

    // Stage 2 of cell `slot` from its blob; on failure nothing of it remains allocated.
    virtual Result<void> build_stage2(unsigned slot, const jailconf::jcb::BlobView& cell) = 0;
    virtual void release_stage2(unsigned slot) = 0;
    // Translation tables still free, and the most one root unmap can need.
    virtual size_t free_tables() const = 0;
    virtual size_t tables_per_root_unmap() const = 0;
    // The root cell's stage 2: remove a range (TLBs invalidated), or map it back.
    virtual Result<void> unmap_from_root(uint64_t ipa, uint64_t size) = 0;
    virtual Result<void> map_into_root(uint64_t ipa, uint64_t phys, uint64_t size,
                                       uint32_t flags) = 0;
    // Link memory into the stage 2 of cell `slot` (built already); released with its tables.
    virtual Result<void> map_into_cell(unsigned slot, uint64_t ipa, uint64_t phys, uint64_t size,
                                       uint32_t flags) = 0;

    // CPUs that are running or starting (anything but off).
    virtual CpuSet online_cpus() const = 0;
    // The cell a CPU belongs to, for traps and CPU starts (slot 0 = the root cell).
    virtual void assign_cpus(unsigned slot, CpuSet cpus) = 0;
    // Starts `cpu` in cell `slot` at guest address `entry`.
    virtual Result<void> start_cpu(unsigned slot, unsigned cpu, uint64_t entry) = 0;
    // Brings every online CPU of `cpus` into the hypervisor and parks it; waits, bounded, until
    // they are all off (Error::cpus_did_not_stop otherwise). The cell's state already says
    // it is stopping, which is what makes the CPUs park.
    virtual Result<void> stop_cpus(CpuSet cpus) = 0;

    // Interrupts moving to `new_slot` (a new cell, or the root when a cell is destroyed): they
    // arrive disabled, not pending, not active, with default routes and priorities, so nothing
    // the previous owner set up reaches the next one.
    virtual void irqs_changed_owner(unsigned new_slot, const IrqSet& irqs) = 0;
    // The doorbells of the links of cell `slot` (empty when it goes away): the virtual
    // interrupts it may enable and receive without owning them (docs/links.md).
    virtual void set_doorbells(unsigned slot, const IrqSet& doorbells) = 0;

  protected:
    ~CellPlatform() = default;
};

} // namespace hv::cells
