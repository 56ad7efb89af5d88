// What the hypervisor takes from a verified descriptor to run a cell, and the cross-checks the
// verifier cannot do because they need the hypervisor's own facts (its memory, its CPU limit).
#pragma once

#include <stdint.h>

#include "core/cells/cpu_set.hpp"
#include "core/result/result.hpp"
#include "jailconf/blob_view.hpp"

namespace hv::cells {

// A physical address range [base, base + size).
struct PhysRange {
    uint64_t base = 0;
    uint64_t size = 0;

    constexpr bool overlaps(uint64_t other_base, uint64_t other_size) const {
        return base < other_base + other_size && other_base < base + size;
    }
    constexpr bool contains(uint64_t other_base, uint64_t other_size) const {
        return other_base >= base && other_size <= size && other_base - base <= size - other_size;
    }
};

struct CellConfig {
    const char* name = ""; // points into the descriptor, which stays in hypervisor memory
    CpuSet cpus;
    uint64_t entry_ipa = 0; // where the cell's first CPU starts (see entry_region)
    uint64_t entry_phys = 0;
    uint32_t entry_region = 0; // index of the region the entry point is in
};

// The start convention until the format has an entry field: the guest address of the cell's
// first region flagged both loadable and execute, or failing that of its first non-io region
// flagged execute. Returns the region index, or Error::no_entry_region.
Result<uint32_t> entry_region(const jailconf::jcb::BlobView& cell);

// The index of the CPU whose MPIDR affinity is `mpidr` (the platform_cpus table, or the identity
// mapping Aff0 = index when the table is absent); Error::cpu_out_of_range when none matches.
Result<unsigned> cpu_from_mpidr(const jailconf::jcb::BlobView& system, uint64_t mpidr);
uint64_t mpidr_of_cpu(const jailconf::jcb::BlobView& system, unsigned cpu);

// Reads the root cell of a verified system blob and checks what only the hypervisor can:
// arm64, CPU ids below cpu_limit, the boot CPU 0 in the root cell, no region overlapping the
// hypervisor memory the blob declares, a region to start in.
Result<CellConfig> root_cell_config(const jailconf::jcb::BlobView& system);

// The hypervisor memory declared by a verified system blob.
PhysRange hypervisor_memory(const jailconf::jcb::BlobView& system);

} // namespace hv::cells
