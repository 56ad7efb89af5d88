#include "arch/arm64/mmu/translation_tables.hpp"

#ifndef HV_TABLE_POOL_PAGES
#error "HV_TABLE_POOL_PAGES is set by hv/CMakeLists.txt"
#endif

namespace hv::arm64 {
namespace {
pagetable::TablePage g_pages[HV_TABLE_POOL_PAGES];
pagetable::TablePool g_pool(g_pages, HV_TABLE_POOL_PAGES);
} // namespace

pagetable::TablePool& table_pool() {
    return g_pool;
}

} // namespace hv::arm64
