// The hypervisor's one pool of translation-table pages (its own EL2 tables and every cell's
// stage-2 tables), sized at build time by HV_TABLE_POOL_PAGES, and the address-space sizes both
// regimes use: 39-bit input (512 GiB, a single level-1 root table with the 4 KiB granule) and
// 40-bit output.
#pragma once

#include "arch/arm64/mmu/vmsa_format.hpp"
#include "core/pagetable/table_builder.hpp"

namespace hv::arm64 {

inline constexpr unsigned translation_start_level = 1;
inline constexpr unsigned translation_input_bits = 39;
inline constexpr unsigned translation_output_bits = 40;

using TableBuilder = pagetable::TableBuilder<VmsaFormat>;

pagetable::TablePool& table_pool();

} // namespace hv::arm64
