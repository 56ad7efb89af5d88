#include "core/cells/cell_config.hpp"

namespace hv::cells {
namespace jcb = jailconf::jcb;

namespace {
// MPIDR_EL1 affinity fields Aff3 (bits [39:32]) and Aff2..Aff0 (bits [23:0]); the other bits
// (U, MT, RES1 bit 31) do not name a CPU.
constexpr uint64_t mpidr_affinity_mask = 0xff'00ff'ffff;
} // namespace

Result<uint32_t> entry_region(const jcb::BlobView& cell) {
    const auto regions = cell.memory();
    const uint32_t code = jcb::mem_execute | jcb::mem_loadable;
    for (uint32_t i = 0; i < regions.size(); ++i) {
        if ((regions[i].flags.get() & code) == code)
            return i;
    }
    for (uint32_t i = 0; i < regions.size(); ++i) {
        uint32_t flags = regions[i].flags.get();
        if ((flags & jcb::mem_execute) != 0 && (flags & jcb::mem_io) == 0)
            return i;
    }
    return Error::no_entry_region;
}

Result<unsigned> cpu_from_mpidr(const jcb::BlobView& system, uint64_t mpidr) {
    const uint64_t wanted = mpidr & mpidr_affinity_mask;
    const auto table = system.platform_cpus();
    if (table.empty())
        return wanted < cpu_limit ? Result<unsigned>(unsigned(wanted)) : Error::cpu_out_of_range;
    for (const jcb::PlatformCpuElem c : table) {
        if ((c.hw_id.get() & mpidr_affinity_mask) == wanted && c.id.get() < cpu_limit)
            return unsigned(c.id.get());
    }
    return Error::cpu_out_of_range;
}

uint64_t mpidr_of_cpu(const jcb::BlobView& system, unsigned cpu) {
    for (const jcb::PlatformCpuElem c : system.platform_cpus()) {
        if (c.id.get() == cpu)
            return c.hw_id.get() & mpidr_affinity_mask;
    }
    return cpu;
}

PhysRange hypervisor_memory(const jcb::BlobView& system) {
    const jcb::HypervisorElem h = system.hypervisor();
    return {h.memory_phys.get(), h.memory_size.get()};
}

Result<CellConfig> root_cell_config(const jcb::BlobView& system) {
    if (system.kind() != jcb::BlobKind::system)
        return Error::wrong_kind;
    if (system.arch() != jcb::BlobArch::arm64)
        return Error::wrong_arch;
    CellConfig config;
    config.name = system.string(system.cell().name);
    for (const jcb::RangeElem r : system.cpus()) {
        if (r.last.get() >= cpu_limit)
            return Error::cpu_out_of_range;
        for (uint32_t cpu = r.first.get(); cpu <= r.last.get(); ++cpu)
            config.cpus.add(cpu);
    }
    if (!config.cpus.contains(0))
        return Error::boot_cpu_not_root;
    const PhysRange hv = hypervisor_memory(system);
    for (const jcb::MemoryElem m : system.memory()) {
        if (hv.overlaps(m.phys.get(), m.size.get()))
            return Error::overlaps_hypervisor;
    }
    Result<uint32_t> entry = entry_region(system);
    if (!entry.ok())
        return entry.error();
    const jcb::MemoryElem region = system.memory()[entry.value()];
    config.entry_region = entry.value();
    config.entry_ipa = region.virt.get();
    config.entry_phys = region.phys.get();
    return config;
}

} // namespace hv::cells
