// Links: peers, names, alignment, physical overlaps, and their place in each peer's guest space.
#include <gtest/gtest.h>

#include "check_builder.hpp"

namespace jailconf::test {
namespace {

TEST(CheckLinks, PeersMustBeDistinctExistingCells) {
    System s = base_system();
    s.links.push_back(link("bad", {"rt", "rtt", "rt"}, 0x78100000, 0x1000));
    s.links.push_back(link("lonely", {"root"}, 0x78200000, 0x1000));
    Diagnostics d = run_check(s);
    auto r = of_rule(d, "JC-LINK-PEER");
    ASSERT_EQ(r.size(), 3u) << dump(d);
    EXPECT_EQ(r[0]->message, "link 'bad' names peer 'rtt', which is not a cell");
    EXPECT_EQ(r[0]->fix, "did you mean cell 'rt'?");
    EXPECT_EQ(r[1]->loc.line, s.links[1].peers[2].loc.line);
    EXPECT_EQ(r[1]->related[0].loc.line, s.links[1].peers[0].loc.line);
    EXPECT_EQ(r[2]->loc.line, s.links[2].loc.line);
}

TEST(CheckLinks, DuplicateNames) {
    System s = base_system();
    s.links.push_back(link("ping", {"root", "rt"}, 0x78100000, 0x1000, 0x78100000));
    Diagnostics d = run_check(s);
    ASSERT_EQ(count(d, "JC-LINK-NAME-DUP"), 1u) << dump(d);
}

TEST(CheckLinks, AlignmentSizeAndWrap) {
    System s = base_system();
    s.links[0].size = 0x1800;
    s.links.push_back(link("empty", {"root", "rt"}, 0x78100000, 0));
    s.links.push_back(link("wrap", {"root", "rt"}, 0xfffffffffffff000, 0x2000, 0x70000000));
    Diagnostics d = run_check(s);
    EXPECT_EQ(count(d, "JC-LINK-ALIGN"), 2u) << dump(d);
    EXPECT_EQ(count(d, "JC-MEM-OVERFLOW"), 1u) << dump(d);
}

TEST(CheckLinks, PhysicalOverlapWithRegionLinkAndHypervisor) {
    System s = base_system();
    s.links.push_back(link("into-ram", {"root", "rt"}, 0x77fff000, 0x2000, 0x90000000));
    s.links.push_back(link("into-ping", {"root", "rt"}, 0x7800f000, 0x1000, 0x91000000));
    s.links.push_back(link("into-hv", {"root", "rt"}, 0x7c000000, 0x1000, 0x92000000));
    Diagnostics d = run_check(s);
    auto r = of_rule(d, "JC-LINK-OVERLAP");
    ASSERT_EQ(r.size(), 4u) << dump(d); // into-ram also touches ping at 0x78000000
    for (const Diagnostic* x : r)
        EXPECT_FALSE(x->related.empty());
    EXPECT_EQ(count(d, "JC-MEM-HV-OVERLAP"), 0u);
}

TEST(CheckLinks, LinkIsPartOfEachPeersGuestSpace) {
    System s = base_system();
    // rt's RAM is at guest 0..0x2ffffff; put the link there in guest space.
    s.links[0].virt = GuestAddr{0x1000000};
    Diagnostics d = run_check(s);
    auto r = of_rule(d, "JC-MEM-VIRT-OVERLAP");
    ASSERT_EQ(r.size(), 1u) << dump(d);
    EXPECT_EQ(r[0]->loc.line, s.cells[1].memory[0].loc.line); // points at the cell's own region
    EXPECT_EQ(r[0]->related[0].loc.line, s.links[0].loc.line);
    EXPECT_NE(r[0]->message.find("cell 'rt'"), std::string::npos);
}

TEST(CheckLinks, NonPeersDoNotSeeTheLink) {
    System s = base_system();
    set_platform_cpus(s, 5);
    s.cells.push_back(cell("other", {id(4)}));
    s.cells.back().memory.push_back(region("ram", 0x30000000, 0x1000, rw, 0x78000000));
    Diagnostics d = run_check(s);
    EXPECT_TRUE(d.empty()) << dump(d);
}

TEST(CheckLinks, TwoLinksAtOneGuestAddress) {
    System s = base_system();
    s.links.push_back(link("pong", {"rt", "root"}, 0x78100000, 0x1000, 0x78000000));
    Diagnostics d = run_check(s);
    EXPECT_EQ(count(d, "JC-MEM-VIRT-OVERLAP"), 2u) << dump(d); // in root and in rt
}

TEST(CheckGuest, RegionsOverlapInGuestSpace) {
    System s = base_system();
    s.cells[1].memory.push_back(region("dev", 0x09010000, 0x1000, rw | mem_io, 0x02fff000));
    Diagnostics d = run_check(s);
    auto r = of_rule(d, "JC-MEM-VIRT-OVERLAP");
    ASSERT_EQ(r.size(), 1u) << dump(d);
    EXPECT_EQ(r[0]->message, "region 'dev' guest [0x2fff000-0x2ffffff] of cell 'rt' overlaps "
                             "region 'ram' guest [0x0-0x2ffffff]");
}

} // namespace
} // namespace jailconf::test
