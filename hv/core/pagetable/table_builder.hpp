// Builds multi-level translation tables with a 4 KiB granule (9 bits per level, levels 0-3) from
// mapping requests, using the largest block each request's alignment allows. The walk and the
// allocation are arch-neutral; the bits of a descriptor come from a Format policy:
//
//   struct Format {
//       static constexpr unsigned first_block_level;           // largest level with blocks
//       static uint64_t table(uint64_t next_table_address);
//       static uint64_t leaf(uint64_t output, uint64_t attributes, unsigned level);
//       static bool is_valid(uint64_t entry);
//       static bool is_table(uint64_t entry, unsigned level);
//       static uint64_t address(uint64_t entry);               // output or next-table address
//       static uint64_t attributes(uint64_t entry);            // what leaf() was given
//   };
//
// Mappings can also be removed (unmap, splitting blocks that are only partly removed) and all
// tables returned to the pool (release), which is how memory moves between cells.
//
// Tables are addressed by their own address (the hypervisor maps its memory 1:1, and host unit
// tests use host pointers), so a table descriptor holds the next table's address directly.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/pagetable/table_pool.hpp"
#include "core/result/result.hpp"

namespace hv::pagetable {

inline constexpr unsigned last_level = 3;

constexpr unsigned level_shift(unsigned level) {
    return 12 + 9 * (last_level - level);
}
constexpr uint64_t level_size(unsigned level) {
    return uint64_t(1) << level_shift(level);
}

// What a lookup found for one input address.
struct Translation {
    bool mapped = false;
    uint64_t output = 0;     // output address of the input address itself
    uint64_t attributes = 0; // as given to map()
    unsigned level = 0;      // level of the leaf
};

template <class Format> class TableBuilder {
  public:
    // `input_bits`: size of the input address space; the root table at `start_level` must fit
    // one page (no concatenated tables), e.g. 39 bits from level 1.
    static Result<TableBuilder> create(TablePool& pool, unsigned start_level, unsigned input_bits,
                                       unsigned output_bits) {
        if (start_level > last_level || input_bits > level_shift(start_level) + 9 ||
            input_bits <= level_shift(start_level) || output_bits > 48)
            return Error::out_of_range;
        Result<TablePage*> root = pool.allocate();
        if (!root.ok())
            return root.error();
        return TableBuilder(pool, root.value(), start_level, input_bits, output_bits);
    }

    TableBuilder() = default;

    // Maps [input, input + size) to [output, output + size) with `attributes`. All three must
    // be page aligned; no part of the input range may be mapped already. On failure the tables
    // may hold part of the range (the caller discards a cell whose tables failed to build).
    Result<void> map(uint64_t input, uint64_t output, uint64_t size, uint64_t attributes) {
        if ((input | output | size) % page_size != 0)
            return Error::misaligned;
        if (size == 0)
            return {};
        const uint64_t input_limit = uint64_t(1) << input_bits_;
        const uint64_t output_limit = uint64_t(1) << output_bits_;
        if (input >= input_limit || size > input_limit - input || output >= output_limit ||
            size > output_limit - output)
            return Error::out_of_range;
        while (size != 0) {
            Result<uint64_t> step = map_one(input, output, size, attributes);
            if (!step.ok())
                return step.error();
            input += step.value();
            output += step.value();
            size -= step.value();
        }
        return {};
    }

    // Removes [input, input + size) (page aligned); parts that are not mapped are skipped. A
    // block only partly inside the range is first replaced by a next-level table holding the
    // same mapping (break-before-make: the entry is invalidated and `invalidate()` called before
    // the table goes in, so no CPU can hold both translations). `invalidate()` is also called
    // once at the end when anything was removed. Fails only with Error::out_of_tables, when a
    // split needs a table and the pool is empty; tables_for_unmap() bounds that need.
    template <class Invalidate>
    Result<void> unmap(uint64_t input, uint64_t size, Invalidate&& invalidate) {
        if ((input | size) % page_size != 0)
            return Error::misaligned;
        const uint64_t input_limit = uint64_t(1) << input_bits_;
        if (input >= input_limit || size > input_limit - input)
            return Error::out_of_range;
        bool removed = false;
        while (size != 0) {
            Result<uint64_t> step = unmap_one(input, size, invalidate, removed);
            if (!step.ok())
                return step.error();
            input += step.value();
            size -= step.value();
        }
        if (removed)
            invalidate();
        return {};
    }

    // The most tables one unmap() call can allocate: each end of the range may split one block
    // per level below the first block level.
    static constexpr size_t tables_for_unmap() {
        return 2 * (last_level - Format::first_block_level);
    }

    // Returns every table of this translation, the root included, to the pool. The builder is
    // empty afterwards; nothing may still use the tables (the caller invalidated the TLBs).
    void release() {
        if (root_ == nullptr)
            return;
        release_table(root_, start_level_);
        root_ = nullptr;
    }

    Translation lookup(uint64_t input) const {
        if (root_ == nullptr || input >= (uint64_t(1) << input_bits_))
            return {};
        const TablePage* table = root_;
        for (unsigned level = start_level_;; ++level) {
            uint64_t entry = table->entries[index(input, level)];
            if (!Format::is_valid(entry))
                return {};
            if (!Format::is_table(entry, level)) {
                uint64_t offset = input & (level_size(level) - 1);
                return {true, Format::address(entry) + offset, Format::attributes(entry), level};
            }
            table = reinterpret_cast<const TablePage*>(uintptr_t(Format::address(entry)));
        }
    }

    TablePage* root() const { return root_; }
    unsigned start_level() const { return start_level_; }

  private:
    TableBuilder(TablePool& pool, TablePage* root, unsigned start_level, unsigned input_bits,
                 unsigned output_bits)
        : pool_(&pool), root_(root), start_level_(start_level), input_bits_(input_bits),
          output_bits_(output_bits) {}

    static size_t index(uint64_t input, unsigned level) {
        return size_t(input >> level_shift(level)) & (entries_per_table - 1);
    }

    // Maps the largest block that starts at `input`; returns how many bytes it covered.
    Result<uint64_t> map_one(uint64_t input, uint64_t output, uint64_t size, uint64_t attributes) {
        TablePage* table = root_;
        for (unsigned level = start_level_;; ++level) {
            uint64_t& entry = table->entries[index(input, level)];
            const uint64_t block = level_size(level);
            const bool block_fits = level >= Format::first_block_level && input % block == 0 &&
                                    output % block == 0 && size >= block;
            // A table left by an earlier unmap() is descended into rather than overwritten.
            const bool is_table = Format::is_valid(entry) && Format::is_table(entry, level);
            if ((block_fits && !is_table) || level == last_level) {
                if (Format::is_valid(entry))
                    return Error::already_mapped;
                entry = Format::leaf(output, attributes, level);
                return block;
            }
            if (!Format::is_valid(entry)) {
                Result<TablePage*> next = pool_->allocate();
                if (!next.ok())
                    return next.error();
                entry = Format::table(uint64_t(reinterpret_cast<uintptr_t>(next.value())));
            } else if (!Format::is_table(entry, level)) {
                return Error::already_mapped; // a block covers this range already
            }
            table = reinterpret_cast<TablePage*>(uintptr_t(Format::address(entry)));
        }
    }

    // Removes the largest piece of [input, input + size) one entry covers; returns its size.
    template <class Invalidate>
    Result<uint64_t> unmap_one(uint64_t input, uint64_t size, Invalidate& invalidate,
                               bool& removed) {
        TablePage* table = root_;
        for (unsigned level = start_level_;; ++level) {
            uint64_t& entry = table->entries[index(input, level)];
            const uint64_t block = level_size(level);
            const uint64_t offset = input & (block - 1);
            const uint64_t piece = block - offset < size ? block - offset : size;
            if (!Format::is_valid(entry))
                return piece;
            if (Format::is_table(entry, level)) {
                table = reinterpret_cast<TablePage*>(uintptr_t(Format::address(entry)));
                continue;
            }
            if (offset == 0 && piece == block) {
                entry = 0;
                removed = true;
                return block;
            }
            // Part of a block: split it into a table of next-level leaves with the same output.
            Result<TablePage*> next = pool_->allocate();
            if (!next.ok())
                return next.error();
            const uint64_t base = Format::address(entry) & ~(block - 1);
            const uint64_t attributes = Format::attributes(entry);
            const uint64_t sub = level_size(level + 1);
            for (size_t i = 0; i < entries_per_table; ++i)
                next.value()->entries[i] = Format::leaf(base + i * sub, attributes, level + 1);
            entry = 0;
            invalidate();
            entry = Format::table(uint64_t(reinterpret_cast<uintptr_t>(next.value())));
            table = next.value();
        }
    }

    void release_table(TablePage* table, unsigned level) {
        if (level < last_level) {
            for (uint64_t entry : table->entries) {
                if (Format::is_valid(entry) && Format::is_table(entry, level))
                    release_table(reinterpret_cast<TablePage*>(uintptr_t(Format::address(entry))),
                                  level + 1);
            }
        }
        pool_->release(table);
    }

    TablePool* pool_ = nullptr;
    TablePage* root_ = nullptr;
    unsigned start_level_ = 0;
    unsigned input_bits_ = 0;
    unsigned output_bits_ = 0;
};

} // namespace hv::pagetable
