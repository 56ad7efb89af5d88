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

// Hands out zeroed pages from `pages[0, count)` and takes them back when a cell is destroyed.
// Released pages go on a free list threaded through their first entry, so the pool needs no
// memory of its own beyond the pages.
class TablePool {
  public:
    constexpr TablePool(TablePage* pages, size_t count) : pages_(pages), count_(count) {}

    Result<TablePage*> allocate() {
        TablePage* page = nullptr;
        if (free_ != nullptr) {
            page = free_;
            free_ = reinterpret_cast<TablePage*>(uintptr_t(page->entries[0]));
        } else if (fresh_ < count_) {
            page = &pages_[fresh_++];
        } else {
            return Error::out_of_tables;
        }
        ++used_;
        for (uint64_t& e : page->entries)
            e = 0;
        return page;
    }

    // `page` must have come from allocate() and no table may still point at it.
    void release(TablePage* page) {
        page->entries[0] = uint64_t(reinterpret_cast<uintptr_t>(free_));
        free_ = page;
        --used_;
    }

    size_t used() const { return used_; }
    size_t available() const { return count_ - used_; }
    size_t capacity() const { return count_; }

  private:
    TablePage* pages_;
    size_t count_;
    size_t fresh_ = 0; // pages_[fresh_, count_) were never handed out
    size_t used_ = 0;
    TablePage* free_ = nullptr;
};

} // namespace hv::pagetable
