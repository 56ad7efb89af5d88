#include "arch/arm64/mmu/el2_mmu.hpp"

#include "arch/arm64/cpu/sysreg.hpp"
#include "arch/arm64/mmu/el2_attributes.hpp"
#include "arch/arm64/mmu/translation_tables.hpp"

extern "C" {
extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __data_end[];
extern char hv_descriptor_slot[], hv_descriptor_slot_end[];

// Read by hv_secondary_entry (boot/entry.S) with the MMU off: keep the layout in sync.
struct El2MmuRegisters {
    uint64_t mair, tcr, ttbr, sctlr;
};
El2MmuRegisters hv_el2_mmu_registers;
}

namespace hv::arm64::el2_mmu {
namespace {

// TCR_EL2: T0SZ = 64 - 39, walks inner/outer write-back cacheable and inner shareable,
// 4 KiB granule (TG0 = 0), PS = 0b010 (40-bit physical addresses), RES1 bits 23 and 31.
constexpr uint64_t tcr_el2 = (64 - translation_input_bits) | 1u << 8 | 1u << 10 | 3u << 12 |
                             2u << 16 | 1u << 23 | 1ull << 31;
// SCTLR_EL2: RES1 bits of the non-VHE layout, then M (MMU), C (data cache), SA (stack
// alignment check), I (instruction cache) and WXN (writable implies execute-never).
constexpr uint64_t sctlr_el2_res1 = 0x30c50830;
constexpr uint64_t sctlr_el2 = sctlr_el2_res1 | 1u << 0 | 1u << 2 | 1u << 3 | 1u << 12 | 1u << 19;

TableBuilder g_tables;

uint64_t addr(const char* symbol) {
    return uint64_t(reinterpret_cast<uintptr_t>(symbol));
}

Result<void> map_identity(uint64_t base, uint64_t size, uint64_t attributes) {
    return g_tables.map(base, base, size, attributes);
}

} // namespace

Result<void> enable_on_boot_cpu(uint64_t console_base) {
    Result<TableBuilder> tables = TableBuilder::create(
        table_pool(), translation_start_level, translation_input_bits, translation_output_bits);
    if (!tables.ok())
        return tables.error();
    g_tables = tables.value();
    HV_TRY(map_identity(addr(__text_start), addr(__text_end) - addr(__text_start),
                        el2_normal(El2Access::read_execute)));
    HV_TRY(map_identity(addr(__rodata_start), addr(__rodata_end) - addr(__rodata_start),
                        el2_normal(El2Access::read_only)));
    HV_TRY(map_identity(addr(__data_start), addr(__data_end) - addr(__data_start),
                        el2_normal(El2Access::read_write)));
    HV_TRY(map_identity(addr(hv_descriptor_slot),
                        addr(hv_descriptor_slot_end) - addr(hv_descriptor_slot),
                        el2_normal(El2Access::read_only)));
    HV_TRY(map_identity(console_base, pagetable::page_size, el2_device()));

    hv_el2_mmu_registers = {mair_el2_value, tcr_el2,
                            uint64_t(reinterpret_cast<uintptr_t>(g_tables.root())), sctlr_el2};
    dsb_sy();
    HV_WRITE_SYSREG(mair_el2, hv_el2_mmu_registers.mair);
    HV_WRITE_SYSREG(tcr_el2, hv_el2_mmu_registers.tcr);
    HV_WRITE_SYSREG(ttbr0_el2, hv_el2_mmu_registers.ttbr);
    isb();
    __asm__ volatile("tlbi alle2" ::: "memory");
    dsb_sy();
    isb();
    HV_WRITE_SYSREG(sctlr_el2, hv_el2_mmu_registers.sctlr);
    isb();
    // Secondaries read these with their caches off: push them to memory.
    clean_dcache_range(&hv_el2_mmu_registers, sizeof(hv_el2_mmu_registers));
    return {};
}

Result<void> map_device(uint64_t base, uint64_t size) {
    const uint64_t start = base & ~uint64_t(pagetable::page_size - 1);
    const uint64_t end =
        (base + size + pagetable::page_size - 1) & ~uint64_t(pagetable::page_size - 1);
    HV_TRY(map_identity(start, end - start, el2_device()));
    // New entries replace invalid ones, which no TLB holds: a barrier makes them visible to the
    // table walker, no invalidation is needed.
    dsb_ishst();
    isb();
    return {};
}

Result<void> map_memory(uint64_t base, uint64_t size) {
    HV_TRY(map_identity(base, size, el2_normal(El2Access::read_write)));
    dsb_ishst();
    isb();
    return {};
}

} // namespace hv::arm64::el2_mmu
