// Translation tables come from a fixed pool of 4 KiB pages reserved at build time: the
// hypervisor has no heap, and a configuration that needs more tables than the pool holds is
// refused at boot with Error::out_of_tables instead of overrunning memory.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/result/result.hpp"

namespace hv::pagetable {

inline constexpr size_t page_size = 4096;
inline constexpr size_t entries_per_table = page_size / sizeof(uint64_t);

struct alignas(page_size) TablePage {
    uint64_t entries[entries_per_table];
};
static_assert(sizeof(TablePage) == page_size);

// Hands out zeroed pages from `pages[0, count)`, in order, and never takes them back (tables
// live as long as their cell; freeing comes with cell destruction in a later milestone).
class TablePool {
  public:
    constexpr TablePool(TablePage* pages, size_t count) : pages_(pages), count_(count) {}

    Result<TablePage*> allocate() {
        if (used_ == count_)
            return Error::out_of_tables;
        TablePage* page = &pages_[used_++];
        for (uint64_t& e : page->entries)
            e = 0;
        return page;
    }
    size_t used() const { return used_; }
    size_t capacity() const { return count_; }

  private:
    TablePage* pages_;
    size_t count_;
    size_t used_ = 0;
};

} // namespace hv::pagetable
