// hv/core/pagetable (the table walk and allocation) with the arm64 descriptor encoding
// (hv/arch/arm64/mmu, stage2/stage2_attributes.hpp): block sizes, levels, pool exhaustion,
// overlap and range errors, and the exact stage-2 permission and memory-type bits.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "arch/arm64/mmu/el2_attributes.hpp"
#include "arch/arm64/mmu/vmsa_format.hpp"
#include "arch/arm64/stage2/stage2_attributes.hpp"
#include "core/pagetable/table_builder.hpp"

namespace {

using hv::Error;
using hv::pagetable::TablePage;
using hv::pagetable::TablePool;
using Builder = hv::pagetable::TableBuilder<hv::arm64::VmsaFormat>;
namespace jcb = jailconf::jcb;

constexpr uint64_t KiB = 1024, MiB = 1024 * KiB, GiB = 1024 * MiB;

struct Tables {
    explicit Tables(size_t pages) : storage(new TablePage[pages]), pool(storage.get(), pages) {
        auto created = Builder::create(pool, 1, 39, 40);
        EXPECT_TRUE(created.ok());
        builder = created.value();
    }
    std::unique_ptr<TablePage[]> storage;
    TablePool pool;
    Builder builder;
};

TEST(HvPageTable, UsesTheLargestBlockTheAlignmentAllows) {
    Tables t(16);
    ASSERT_TRUE(t.builder.map(0x40000000, 0x40000000, 1 * GiB, 0).ok());
    EXPECT_EQ(t.pool.used(), 1u); // one 1 GiB block in the root table
    EXPECT_EQ(t.builder.lookup(0x40000000 + 5 * MiB).level, 1u);

    ASSERT_TRUE(t.builder.map(0x80200000, 0x10200000, 4 * MiB, 0).ok());
    EXPECT_EQ(t.pool.used(), 2u); // one level-2 table, two 2 MiB blocks
    EXPECT_EQ(t.builder.lookup(0x80200000).level, 2u);

    ASSERT_TRUE(t.builder.map(0x09000000, 0x09000000, 4 * KiB, 0).ok());
    EXPECT_EQ(t.pool.used(), 4u); // level-2 and level-3 tables for one page
    EXPECT_EQ(t.builder.lookup(0x09000000).level, 3u);
}

TEST(HvPageTable, TranslatesEveryPageOfAnUnalignedRegion) {
    Tables t(16);
    // 2 MiB + 12 KiB, starting 4 KiB below a 2 MiB boundary: pages, one block, pages.
    const uint64_t in = 0x481ff000, out = 0x791ff000, size = 2 * MiB + 12 * KiB;
    ASSERT_TRUE(t.builder.map(in, out, size, hv::arm64::stage2_attributes(jcb::mem_read)).ok());
    for (uint64_t offset = 0; offset < size; offset += 4 * KiB) {
        hv::pagetable::Translation tr = t.builder.lookup(in + offset + 0x18);
        ASSERT_TRUE(tr.mapped) << std::hex << offset;
        EXPECT_EQ(tr.output, out + offset + 0x18);
    }
    EXPECT_FALSE(t.builder.lookup(in - 1).mapped);
    EXPECT_FALSE(t.builder.lookup(in + size).mapped);
    EXPECT_EQ(t.builder.lookup(in).level, 3u);
    EXPECT_EQ(t.builder.lookup(0x48200000).level, 2u);
}

TEST(HvPageTable, RefusesOverlapsMisalignmentAndOutOfRange) {
    Tables t(16);
    ASSERT_TRUE(t.builder.map(0x40000000, 0x40000000, 2 * MiB, 0).ok());
    EXPECT_EQ(t.builder.map(0x40100000, 0x0, 4 * KiB, 0).error(), Error::already_mapped);
    EXPECT_EQ(t.builder.map(0x3ffff000, 0x0, 8 * KiB, 0).error(), Error::already_mapped);
    EXPECT_EQ(t.builder.map(0x1000, 0x2000, 0x800, 0).error(), Error::misaligned);
    EXPECT_EQ(t.builder.map(0x1800, 0x2000, 0x1000, 0).error(), Error::misaligned);
    EXPECT_EQ(t.builder.map(uint64_t(1) << 39, 0, 4 * KiB, 0).error(), Error::out_of_range);
    EXPECT_EQ(t.builder.map((uint64_t(1) << 39) - 4 * KiB, 0, 8 * KiB, 0).error(),
              Error::out_of_range);
    EXPECT_EQ(t.builder.map(0, uint64_t(1) << 40, 4 * KiB, 0).error(), Error::out_of_range);
    EXPECT_TRUE(t.builder.map(0x1000, 0x1000, 0, 0).ok()); // nothing to map
}

TEST(HvPageTable, ReportsAnExhaustedPoolInsteadOfOverrunningIt) {
    Tables t(3); // root + one level-2 + one level-3 table
    ASSERT_TRUE(t.builder.map(0x1000, 0x1000, 4 * KiB, 0).ok());
    EXPECT_EQ(t.pool.used(), 3u);
    EXPECT_EQ(t.builder.map(0x40001000, 0x1000, 4 * KiB, 0).error(), Error::out_of_tables);
    EXPECT_EQ(t.pool.used(), 3u);
}

TEST(HvPageTable, UnmapSplitsPartlyRemovedBlocksAndKeepsTheRest) {
    Tables t(16);
    const uint64_t attrs = hv::arm64::stage2_attributes(jcb::mem_read | jcb::mem_write);
    ASSERT_TRUE(t.builder.map(0x40000000, 0x40000000, 1 * GiB, attrs).ok());
    unsigned invalidations = 0;
    // 2 MiB + 4 KiB from the middle of the 1 GiB block: one level-2 and one level-3 split.
    ASSERT_TRUE(t.builder.unmap(0x60000000, 2 * MiB + 4 * KiB, [&] { ++invalidations; }).ok());
    EXPECT_EQ(t.pool.used(), 3u);
    EXPECT_EQ(invalidations, 3u); // two break-before-make splits and the final one
    EXPECT_FALSE(t.builder.lookup(0x60000000).mapped);
    EXPECT_FALSE(t.builder.lookup(0x60200fff).mapped);
    hv::pagetable::Translation kept = t.builder.lookup(0x60201000);
    ASSERT_TRUE(kept.mapped);
    EXPECT_EQ(kept.output, 0x60201000u);
    EXPECT_EQ(kept.attributes, t.builder.lookup(0x40000000).attributes);
    EXPECT_EQ(kept.level, 3u);
    EXPECT_EQ(t.builder.lookup(0x5ffff000).output, 0x5ffff000u);
    EXPECT_EQ(t.builder.lookup(0x7ffff000).level, 2u);

    // Mapping the range again reuses the split tables (no allocation, no overlap error).
    ASSERT_TRUE(t.builder.map(0x60000000, 0x60000000, 2 * MiB + 4 * KiB, attrs).ok());
    EXPECT_EQ(t.pool.used(), 3u);
    EXPECT_EQ(t.builder.lookup(0x60200000).output, 0x60200000u);
    EXPECT_EQ(t.builder.lookup(0x60100000).level, 2u);
}

TEST(HvPageTable, UnmapSkipsHolesAndChecksItsArguments) {
    Tables t(16);
    unsigned invalidations = 0;
    auto count = [&] { ++invalidations; };
    EXPECT_TRUE(t.builder.unmap(0x40000000, 4 * MiB, count).ok());
    EXPECT_EQ(invalidations, 0u); // nothing was mapped, nothing to invalidate
    EXPECT_EQ(t.builder.unmap(0x1800, 0x1000, count).error(), Error::misaligned);
    EXPECT_EQ(t.builder.unmap((uint64_t(1) << 39) - 4 * KiB, 8 * KiB, count).error(),
              Error::out_of_range);
    EXPECT_EQ(t.builder.unmap(~uint64_t(0) & ~uint64_t(0xfff), 4 * KiB, count).error(),
              Error::out_of_range);
}

TEST(HvPageTable, UnmapReportsAnEmptyPoolForASplit) {
    Tables t(1); // the root only
    ASSERT_TRUE(t.builder.map(0x40000000, 0x40000000, 1 * GiB, 0).ok());
    EXPECT_EQ(t.builder.unmap(0x40000000, 4 * KiB, [] {}).error(), Error::out_of_tables);
    EXPECT_TRUE(t.builder.lookup(0x40000000).mapped); // the block is untouched
    EXPECT_EQ(Builder::tables_for_unmap(), 4u);
}

TEST(HvPageTable, ReleaseReturnsEveryTableForReuse) {
    Tables t(8);
    ASSERT_TRUE(t.builder.map(0x09000000, 0x09000000, 4 * KiB, 0).ok());
    ASSERT_TRUE(t.builder.map(0x48000000, 0x60000000, 2 * MiB, 0).ok());
    EXPECT_EQ(t.pool.used(), 4u); // root, two level-2 tables, one level-3 table
    t.builder.release();
    EXPECT_EQ(t.pool.used(), 0u);
    EXPECT_EQ(t.pool.available(), 8u);
    // Released pages come back zeroed, and the pool still hands out all of its pages.
    std::vector<TablePage*> pages;
    for (int i = 0; i < 8; ++i) {
        auto page = t.pool.allocate();
        ASSERT_TRUE(page.ok());
        for (uint64_t e : page.value()->entries)
            ASSERT_EQ(e, 0u);
        pages.push_back(page.value());
    }
    EXPECT_EQ(t.pool.allocate().error(), Error::out_of_tables);
    std::sort(pages.begin(), pages.end());
    EXPECT_EQ(std::unique(pages.begin(), pages.end()), pages.end());
}

TEST(HvPageTable, CreateChecksTheLayout) {
    TablePage pages[1];
    TablePool pool(pages, 1);
    EXPECT_EQ(Builder::create(pool, 1, 40, 40).error(), Error::out_of_range); // needs 2 roots
    EXPECT_EQ(Builder::create(pool, 4, 39, 40).error(), Error::out_of_range);
    EXPECT_TRUE(Builder::create(pool, 1, 39, 40).ok());
    EXPECT_EQ(Builder::create(pool, 1, 39, 40).error(), Error::out_of_tables);
}

TEST(HvPageTable, DescriptorTypeBits) {
    using hv::arm64::VmsaFormat;
    EXPECT_EQ(VmsaFormat::leaf(0x40000000, 0, 1) & 3, 1u); // block
    EXPECT_EQ(VmsaFormat::leaf(0x40000000, 0, 2) & 3, 1u); // block
    EXPECT_EQ(VmsaFormat::leaf(0x40000000, 0, 3) & 3, 3u); // page
    EXPECT_EQ(VmsaFormat::table(0x7c010000), 0x7c010003u);
    EXPECT_TRUE(VmsaFormat::is_table(3, 2));
    EXPECT_FALSE(VmsaFormat::is_table(3, 3));
}

// Stage-2 lower attributes: MemAttr [5:2], S2AP [7:6], SH [9:8], AF [10]; XN [54].
TEST(HvStage2Attributes, PermissionsFollowTheRegionFlags) {
    using hv::arm64::stage2_attributes;
    const uint64_t xn = uint64_t(1) << 54;
    const uint64_t rwx = stage2_attributes(jcb::mem_read | jcb::mem_write | jcb::mem_execute);
    EXPECT_EQ(rwx, 0x3u << 6 | 0xfu << 2 | 3u << 8 | 1u << 10);
    const uint64_t rw = stage2_attributes(jcb::mem_read | jcb::mem_write);
    EXPECT_EQ(rw, rwx | xn);
    const uint64_t ro = stage2_attributes(jcb::mem_read);
    EXPECT_EQ((ro >> 6) & 3, 1u);
    EXPECT_NE(ro & xn, 0u);
    const uint64_t wo = stage2_attributes(jcb::mem_write);
    EXPECT_EQ((wo >> 6) & 3, 2u);
    const uint64_t x_only = stage2_attributes(jcb::mem_execute);
    EXPECT_EQ((x_only >> 6) & 3, 0u);
    EXPECT_EQ(x_only & xn, 0u);
    // Flags that do not concern stage 2 change nothing.
    EXPECT_EQ(stage2_attributes(jcb::mem_read | jcb::mem_write | jcb::mem_dma | jcb::mem_shared),
              rw);
}

TEST(HvStage2Attributes, IoRegionsAreDeviceMemory) {
    using hv::arm64::stage2_attributes;
    const uint64_t io = stage2_attributes(jcb::mem_read | jcb::mem_write | jcb::mem_io);
    EXPECT_EQ((io >> 2) & 0xf, 0x1u); // Device-nGnRE
    EXPECT_EQ((io >> 8) & 3, 0u);
    EXPECT_EQ((io >> 6) & 3, 3u);
    EXPECT_NE(io & (uint64_t(1) << 54), 0u);
}

TEST(HvEl2Attributes, TextRodataDataAndDevices) {
    using namespace hv::arm64;
    const uint64_t xn = uint64_t(1) << 54, ro = 1u << 7, ap1 = 1u << 6;
    EXPECT_EQ(el2_normal(El2Access::read_execute) & (xn | ro), ro);
    EXPECT_EQ(el2_normal(El2Access::read_only) & (xn | ro), xn | ro);
    EXPECT_EQ(el2_normal(El2Access::read_write) & (xn | ro), xn);
    EXPECT_NE(el2_normal(El2Access::read_write) & ap1, 0u); // RES1 at EL2
    EXPECT_EQ((el2_device() >> 2) & 7, mair_device);
    EXPECT_NE(el2_device() & xn, 0u);
    EXPECT_EQ((mair_el2_value >> (8 * mair_device)) & 0xff, 0x04u);
}

} // namespace
