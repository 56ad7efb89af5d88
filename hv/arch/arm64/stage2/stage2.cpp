#include "arch/arm64/stage2/stage2.hpp"

#include "arch/arm64/cpu/sysreg.hpp"
#include "arch/arm64/mmu/translation_tables.hpp"
#include "arch/arm64/stage2/stage2_attributes.hpp"

namespace hv::arm64::stage2 {

uint64_t vtcr_el2() {
    // T0SZ = 64 - 39; SL0 = 0b01 (start at level 1 with 4 KiB granule); walks inner/outer
    // write-back cacheable, inner shareable; TG0 = 4 KiB; PS = 0b010 (40 bits); RES1 bit 31.
    static_assert(translation_start_level == 1 && translation_output_bits == 40);
    return (64 - translation_input_bits) | 1u << 6 | 1u << 8 | 1u << 10 | 3u << 12 | 2u << 16 |
           1ull << 31;
}

Result<Stage2> build(const jailconf::jcb::BlobView& cell, uint8_t vmid, BuildError& error) {
    Result<TableBuilder> tables = TableBuilder::create(
        table_pool(), translation_start_level, translation_input_bits, translation_output_bits);
    if (!tables.ok()) {
        error = {tables.error(), 0};
        return tables.error();
    }
    TableBuilder builder = tables.value();
    const auto regions = cell.memory();
    for (uint32_t i = 0; i < regions.size(); ++i) {
        const jailconf::jcb::MemoryElem m = regions[i];
        Result<void> r =
            builder.map(m.virt.get(), m.phys.get(), m.size.get(), stage2_attributes(m.flags.get()));
        if (!r.ok()) {
            error = {r.error(), i};
            builder.release();
            return r.error();
        }
    }
    // The walker reads the tables from memory: finish the writes before a CPU uses them.
    dsb_ish();
    const uint64_t root = uint64_t(reinterpret_cast<uintptr_t>(builder.root()));
    return Stage2{builder, root | uint64_t(vmid) << 48};
}

void invalidate_current_vmid() {
    dsb_ishst();
    __asm__ volatile("tlbi vmalls12e1is" ::: "memory");
    dsb_ish();
    isb();
}

} // namespace hv::arm64::stage2
