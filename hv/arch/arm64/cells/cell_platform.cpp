// The arm64 side of the cell lifecycle (core/cells/cell_platform.hpp): memory through the
// hypervisor's identity map of the root cell's RAM, with the cache maintenance that cells
// running with their MMU off (uncached) need; stage 2 in the table pool; CPUs through PSCI and
// the park SGI. Also the one instance of each lifecycle object.
#include "arch/arm64/cpu/sysreg.hpp"
#include "arch/arm64/gic/gicv3.hpp"
#include "arch/arm64/guest/cell_runtime.hpp"
#include "arch/arm64/monitor/tick.hpp"
#include "arch/arm64/stage2/stage2_attributes.hpp"

extern "C" {
void* memcpy(void* dst, const void* src, size_t n);
void* memset(void* dst, int c, size_t n);
}

namespace hv::arm64 {
namespace {

void* at(uint64_t phys) {
    return reinterpret_cast<void*>(uintptr_t(phys));
}

class Arm64CellPlatform final : public cells::CellPlatform {
  public:
    // The root cell may have written the bytes with its caches off: drop any stale line first.
    void read_memory(uint64_t phys, void* out, size_t size) override {
        clean_dcache_range(at(phys), size);
        memcpy(out, at(phys), size);
    }
    // Written through the cache, then cleaned to memory, where an uncached cell reads them.
    void zero_memory(uint64_t phys, uint64_t size) override {
        memset(at(phys), 0, size);
        clean_dcache_range(at(phys), size);
    }
    void copy_memory(uint64_t dst, uint64_t src, uint64_t size) override {
        clean_dcache_range(at(src), size);
        memcpy(at(dst), at(src), size);
        clean_dcache_range(at(dst), size);
        // The copy is code: no instruction cache may keep what was there before.
        __asm__ volatile("ic ialluis" ::: "memory");
        dsb_ish();
        isb();
    }

    Result<void> build_stage2(unsigned slot, const jailconf::jcb::BlobView& cell) override {
        stage2::BuildError error;
        Result<stage2::Stage2> built = stage2::build(cell, uint8_t(slot + 1), error);
        if (!built.ok())
            return built.error();
        cell_in_slot(slot).slot = slot;
        cell_in_slot(slot).stage2 = built.value();
        return {};
    }
    void release_stage2(unsigned slot) override {
        cell_in_slot(slot).stage2.tables.release();
        cell_in_slot(slot).stage2 = {};
    }
    size_t free_tables() const override { return table_pool().available(); }
    size_t tables_per_root_unmap() const override { return TableBuilder::tables_for_unmap(); }

    // Lifecycle calls come from the root cell, so its VMID is the current one on this CPU.
    Result<void> unmap_from_root(uint64_t ipa, uint64_t size) override {
        return cell_in_slot(0).stage2.tables.unmap(ipa, size, stage2::invalidate_current_vmid);
    }
    Result<void> map_into_root(uint64_t ipa, uint64_t phys, uint64_t size,
                               uint32_t flags) override {
        HV_TRY(cell_in_slot(0).stage2.tables.map(ipa, phys, size, stage2_attributes(flags)));
        dsb_ishst();
        return {};
    }
    // The new cell has not run yet: no TLB entry of its VMID can exist.
    Result<void> map_into_cell(unsigned slot, uint64_t ipa, uint64_t phys, uint64_t size,
                               uint32_t flags) override {
        HV_TRY(cell_in_slot(slot).stage2.tables.map(ipa, phys, size, stage2_attributes(flags)));
        dsb_ishst();
        return {};
    }

    cells::CpuSet online_cpus() const override { return psci_emulator().online(); }
    void assign_cpus(unsigned slot, cells::CpuSet cpus) override { arm64::assign_cpus(slot, cpus); }
    // x0 of the cell's first instruction: the guest address of its comm region, or 0.
    Result<void> start_cpu(unsigned slot, unsigned cpu, uint64_t entry) override {
        uint64_t context = 0;
        const cells::CellResources& res = ownership().resources(slot);
        for (unsigned i = 0; i < res.region_count; ++i) {
            if ((res.regions[i].flags & jailconf::jcb::mem_comm_region) != 0) {
                context = res.regions[i].virt;
                break;
            }
        }
        const int64_t r = psci_emulator().start_cpu(cpu, entry, context);
        return r == psci::success ? Result<void>() : Error::cpu_online;
    }
    Result<void> stop_cpus(cells::CpuSet cpus) override { return park_cpus(cpus); }
    void irqs_changed_owner(unsigned new_slot, const cells::IrqSet& irqs) override {
        gic::virtual_gic().reset_spis(irqs);
        gic::virtual_gic().reset_cell(new_slot == 0 ? cells::cell_limit : new_slot);
    }
    void set_doorbells(unsigned slot, const cells::IrqSet& doorbells) override {
        gic::virtual_gic().set_doorbells(slot, doorbells);
    }
};

Arm64CellPlatform g_platform;
cells::Ownership g_ownership;
cells::Links g_links;
cells::Lifecycle g_lifecycle(g_platform, g_ownership, &tick::cell_monitor(), &g_links,
                             &measure::measurement_log());
console::CellConsole g_cell_console;

} // namespace

cells::Ownership& ownership() {
    return g_ownership;
}
cells::Lifecycle& lifecycle() {
    return g_lifecycle;
}
cells::Links& links() {
    return g_links;
}
console::CellConsole& cell_console() {
    return g_cell_console;
}

} // namespace hv::arm64
