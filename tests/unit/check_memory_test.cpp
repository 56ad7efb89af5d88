// Memory checks on Systems built in code: shapes, overlaps within and across cells, consent flags,
// hypervisor memory.
#include <gtest/gtest.h>

#include "check_builder.hpp"

namespace jailconf::test {
namespace {

Cell& root_of(System& s) {
    return s.cells[0];
}
Cell& rt_of(System& s) {
    return s.cells[1];
}

TEST(CheckMemory, BaseSystemIsClean) {
    Diagnostics d = run_check(base_system());
    EXPECT_TRUE(d.empty()) << dump(d);
}

TEST(CheckMemory, AdjacentRegionsDoNotOverlap) {
    System s = base_system();
    root_of(s).memory.push_back(region("a", 0x20000000, 0x1000));
    root_of(s).memory.push_back(region("b", 0x20001000, 0x1000));
    rt_of(s).memory.push_back(region("c", 0x20002000, 0x1000, rw, 0x10000000));
    Diagnostics d = run_check(s);
    EXPECT_TRUE(d.empty()) << dump(d);
}

TEST(CheckMemory, RegionEndingAtTopOfAddressSpaceIsFine) {
    System s = base_system();
    root_of(s).memory.push_back(region("top", 0xfffffffffffff000, 0x1000));
    Diagnostics d = run_check(s);
    EXPECT_TRUE(d.empty()) << dump(d);
}

TEST(CheckMemory, OneByteMoreWrapsAndIsLeftOutOfOverlapChecks) {
    System s = base_system();
    root_of(s).memory.push_back(region("top", 0xfffffffffffff000, 0x2000));
    root_of(s).memory.push_back(region("other", 0xfffffffffffff000, 0x1000));
    Diagnostics d = run_check(s);
    EXPECT_EQ(count(d, "JC-MEM-OVERFLOW"), 1u) << dump(d);
    EXPECT_EQ(count(d, "JC-MEM-OVERLAP"), 0u) << dump(d);
    EXPECT_NE(of_rule(d, "JC-MEM-OVERFLOW")[0]->message.find("left out"), std::string::npos);
}

TEST(CheckMemory, VirtWrapIsReportedSeparately) {
    System s = base_system();
    root_of(s).memory.push_back(region("v", 0x20000000, 0x2000, rw, 0xfffffffffffff000));
    Diagnostics d = run_check(s);
    ASSERT_EQ(count(d, "JC-MEM-OVERFLOW"), 1u) << dump(d);
    EXPECT_NE(of_rule(d, "JC-MEM-OVERFLOW")[0]->message.find("virt"), std::string::npos);
}

TEST(CheckMemory, ZeroSizeAndMisalignment) {
    System s = base_system();
    root_of(s).memory.push_back(region("empty", 0x20000000, 0));
    root_of(s).memory.push_back(region("odd", 0x20010100, 0x1800));
    Diagnostics d = run_check(s);
    EXPECT_EQ(count(d, "JC-MEM-ZERO-SIZE"), 1u) << dump(d);
    auto align = of_rule(d, "JC-MEM-ALIGN");
    ASSERT_EQ(align.size(), 1u) << dump(d);
    EXPECT_EQ(align[0]->loc.line, root_of(s).memory.back().loc.line);
    EXPECT_NE(align[0]->fix.find("phys 0x20010000"), std::string::npos) << align[0]->fix;
    EXPECT_NE(align[0]->fix.find("size 0x2000"), std::string::npos) << align[0]->fix;
}

TEST(CheckMemory, HypervisorMemoryShape) {
    System s = base_system();
    s.hypervisor.memory_size = 0;
    Diagnostics d = run_check(s);
    ASSERT_EQ(count(d, "JC-MEM-ZERO-SIZE"), 1u) << dump(d);
    EXPECT_EQ(of_rule(d, "JC-MEM-ZERO-SIZE")[0]->loc.line, s.hypervisor.memory_loc.line);

    s = base_system();
    s.hypervisor.memory_phys = PhysAddr{0x7c000800};
    d = run_check(s);
    ASSERT_EQ(count(d, "JC-MEM-ALIGN"), 1u) << dump(d);
    EXPECT_EQ(of_rule(d, "JC-MEM-ALIGN")[0]->loc.line, s.hypervisor.memory_loc.line);
}

TEST(CheckMemory, OverlapInOneCellNamesBothRegions) {
    System s = base_system();
    root_of(s).memory.push_back(region("dup", 0x47fff000, 0x2000));
    Diagnostics d = run_check(s);
    auto o = of_rule(d, "JC-MEM-OVERLAP");
    ASSERT_EQ(o.size(), 1u) << dump(d);
    EXPECT_EQ(o[0]->message, "region 'dup' [0x47fff000-0x48000fff] of cell 'root' overlaps region "
                             "'ram' [0x40000000-0x77ffffff] of the same cell");
    EXPECT_EQ(o[0]->loc.line, root_of(s).memory.back().loc.line);
    ASSERT_EQ(o[0]->related.size(), 1u);
    EXPECT_EQ(o[0]->related[0].loc.line, root_of(s).memory[0].loc.line);
    EXPECT_FALSE(o[0]->fix.empty());
}

TEST(CheckMemory, DuplicateMappingIsOneFindingNotTwo) {
    System s = base_system();
    root_of(s).memory.push_back(region("uart0-again", 0x09000000, 0x1000)); // virt == phys
    Diagnostics d = run_check(s);
    EXPECT_EQ(count(d, "JC-MEM-OVERLAP"), 1u) << dump(d);
    EXPECT_EQ(count(d, "JC-MEM-VIRT-OVERLAP"), 0u) << dump(d);
    root_of(s).memory.back().phys = PhysAddr{0x09100000}; // now only the guest ranges collide
    d = run_check(s);
    EXPECT_EQ(count(d, "JC-MEM-OVERLAP"), 0u) << dump(d);
    EXPECT_EQ(count(d, "JC-MEM-VIRT-OVERLAP"), 1u) << dump(d);
}

TEST(CheckMemory, ManyWayOverlapReportsEachPairOnce) {
    System s = base_system();
    for (int i = 0; i < 5; ++i)
        rt_of(s).memory.push_back(region("x", 0x20000000, 0x1000, rw, 0x10000000 + i * 0x1000));
    Diagnostics d = run_check(s);
    EXPECT_EQ(count(d, "JC-MEM-OVERLAP"), 10u) << dump(d);
    EXPECT_EQ(count(d, "JC-MEM-VIRT-OVERLAP"), 0u) << dump(d);
}

TEST(CheckMemory, OutputIsBoundedForHugeOverlaps) {
    System s = base_system();
    for (int i = 0; i < 40; ++i)
        rt_of(s).memory.push_back(region("x", 0x20000000, 0x1000, rw, 0x10000000 + i * 0x1000));
    Diagnostics d = run_check(s);
    // Element i overlaps i earlier ones; at most 16 are listed per element plus one summary.
    size_t expected = 0;
    for (size_t i = 0; i < 40; ++i)
        expected += std::min<size_t>(i, 16) + (i > 16 ? 1 : 0);
    EXPECT_EQ(count(d, "JC-MEM-OVERLAP"), expected);
}

TEST(CheckMemory, CrossCellOverlapNeedsConsent) {
    System s = base_system();
    rt_of(s).memory.push_back(region("steal", 0x40000000, 0x8000000, rw, 0x10000000));
    Diagnostics d = run_check(s);
    auto o = of_rule(d, "JC-MEM-CELL-OVERLAP");
    ASSERT_EQ(o.size(), 1u) << dump(d);
    EXPECT_EQ(o[0]->message, "region 'steal' [0x40000000-0x47ffffff] of cell 'rt' overlaps region "
                             "'ram' [0x40000000-0x77ffffff] of cell 'root'");
    EXPECT_EQ(o[0]->loc.line, rt_of(s).memory.back().loc.line);
    EXPECT_NE(o[0]->fix.find("rootshared"), std::string::npos);

    rt_of(s).memory.back().flags |= mem_rootshared; // the non-root side consents
    d = run_check(s);
    EXPECT_TRUE(d.empty()) << dump(d);
}

TEST(CheckMemory, RootsharedOnTheRootSideIsNotConsent) {
    System s = base_system();
    root_of(s).memory[0].flags |= mem_rootshared;
    rt_of(s).memory.push_back(region("steal", 0x40000000, 0x1000, rw, 0x10000000));
    EXPECT_EQ(count(run_check(s), "JC-MEM-CELL-OVERLAP"), 1u);
}

TEST(CheckMemory, SharedNeedsBothSides) {
    System s = base_system();
    set_platform_cpus(s, 5);
    rt_of(s).memory.push_back(region("shm", 0x30000000, 0x1000, rw | mem_shared, 0x10000000));
    s.cells.push_back(cell("third", {id(4)}));
    s.cells.back().memory.push_back(region("shm", 0x30000000, 0x1000, rw));
    EXPECT_EQ(count(run_check(s), "JC-MEM-CELL-OVERLAP"), 1u);

    s.cells.back().memory.back().flags = rw | mem_rootshared; // only for the root cell
    EXPECT_EQ(count(run_check(s), "JC-MEM-CELL-OVERLAP"), 1u);

    s.cells.back().memory.back().flags = rw | mem_shared;
    Diagnostics d = run_check(s);
    EXPECT_TRUE(d.empty()) << dump(d);
}

TEST(CheckMemory, RegionOverlappingHypervisorMemory) {
    System s = base_system();
    root_of(s).memory[0].size = 0x40000000; // [0x40000000-0x7fffffff] swallows the hypervisor
    Diagnostics d = run_check(s);
    auto o = of_rule(d, "JC-MEM-HV-OVERLAP");
    ASSERT_EQ(o.size(), 1u) << dump(d);
    EXPECT_EQ(o[0]->message, "region 'ram' [0x40000000-0x7fffffff] of cell 'root' overlaps "
                             "hypervisor memory [0x7c000000-0x7fffffff]");
    EXPECT_NE(o[0]->fix.find("size 0x3c000000"), std::string::npos) << o[0]->fix;
    EXPECT_EQ(o[0]->related[0].loc.line, s.hypervisor.memory_loc.line);
    // The same change also swallows the link and the rt cell's RAM.
    EXPECT_EQ(count(d, "JC-LINK-OVERLAP"), 1u) << dump(d);
    EXPECT_EQ(count(d, "JC-MEM-CELL-OVERLAP"), 1u) << dump(d);
}

} // namespace
} // namespace jailconf::test
