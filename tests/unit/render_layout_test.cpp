// Address-map geometry of `confgen render`: every region gets a bar, the axis is strictly
// increasing, bars never overlap, overlapping regions line up, and regions from 4 KiB to 1 TiB
// stay readable on the segmented axis.
#include <gtest/gtest.h>

#include <cctype>
#include <map>
#include <set>
#include <tuple>

#include "check_builder.hpp"
#include "confgen/render.hpp"
#include "render_support.hpp"

namespace jailconf {
namespace {

using render::AddressMapLayout;
using render::ElementKind;

struct Laid {
    test::RenderInput input;
    std::vector<render::Element> elements;
    AddressMapLayout map;
};

Laid lay_out(const std::string& path) {
    Laid l{test::load_for_render(path), {}, {}};
    if (l.input.system) {
        l.elements = render::collect_elements(*l.input.system);
        l.map = render::layout_address_map(*l.input.system, l.elements);
    }
    return l;
}

class RenderLayoutCorpus : public ::testing::TestWithParam<std::string> {};

TEST_P(RenderLayoutCorpus, EveryRegionLinkAndBlockHasExactlyOneBar) {
    Laid l = lay_out(GetParam());
    ASSERT_TRUE(l.input.system);
    const System& s = *l.input.system;
    // (kind, owner, index) of every element that has a bar.
    std::map<std::tuple<ElementKind, int, size_t>, int> drawn;
    for (const auto& it : l.map.items) {
        const auto& e = l.elements[it.element];
        ++drawn[{e.kind, e.owner, e.index}];
    }
    for (size_t ci = 0; ci < s.cells.size(); ++ci)
        for (size_t k = 0; k < s.cells[ci].memory.size(); ++k)
            EXPECT_EQ((drawn[{ElementKind::memory_region, int(ci), k}]),
                      s.cells[ci].memory[k].size ? 1 : 0)
                << s.cells[ci].name << " memory " << k;
    for (size_t li = 0; li < s.links.size(); ++li)
        EXPECT_EQ((drawn[{ElementKind::link, render::owner_links, li}]), s.links[li].size ? 1 : 0);
    EXPECT_EQ((drawn[{ElementKind::hypervisor_memory, render::owner_hypervisor, 0}]), 1);
    for (size_t i = 0; i < s.platform.iommus.size(); ++i)
        EXPECT_EQ((drawn[{ElementKind::iommu, render::owner_platform, i}]), 1);
    if (s.platform.pci) {
        EXPECT_EQ((drawn[{ElementKind::pci_host, render::owner_platform, 0}]), 1);
    }
    if (s.platform.irqchip) {
        EXPECT_GE((drawn[{ElementKind::irqchip, render::owner_platform, 0}]), 1);
    }
    // Bar ids are unique.
    std::set<std::string> ids;
    for (const auto& it : l.map.items)
        EXPECT_TRUE(ids.insert(it.id).second) << it.id;
    EXPECT_EQ(l.map.bars.size(), l.map.items.size());
}

TEST_P(RenderLayoutCorpus, AxisIsContiguousAndStrictlyIncreasing) {
    Laid l = lay_out(GetParam());
    ASSERT_TRUE(l.input.system);
    ASSERT_FALSE(l.map.axis.empty());
    for (size_t i = 0; i < l.map.axis.size(); ++i) {
        const auto& st = l.map.axis[i];
        EXPECT_LT(st.start, st.end);
        EXPECT_LT(st.y0, st.y1);
        EXPECT_EQ(st.y1 - st.y0, st.gap ? l.map.params.gap : st.y1 - st.y0);
        if (i > 0) {
            EXPECT_EQ(st.start, l.map.axis[i - 1].end);
            EXPECT_DOUBLE_EQ(st.y0, l.map.axis[i - 1].y1);
        }
        // Inside a stretch, y grows with the address.
        uint64_t mid = st.start + (st.end - st.start) / 2;
        if (mid > st.start) {
            EXPECT_LT(l.map.y_of(st.start), l.map.y_of(mid));
            EXPECT_LE(l.map.y_of(mid), l.map.y_of(st.end));
        }
    }
    EXPECT_DOUBLE_EQ(l.map.height, l.map.axis.back().y1);
}

TEST_P(RenderLayoutCorpus, BarsFollowTheAxisAndNeverOverlap) {
    Laid l = lay_out(GetParam());
    ASSERT_TRUE(l.input.system);
    const auto& bars = l.map.bars;
    for (const auto& b : bars) {
        const auto& it = l.map.items[b.item];
        EXPECT_DOUBLE_EQ(b.y, l.map.y_of(it.base));
        EXPECT_DOUBLE_EQ(b.y + b.height, l.map.y_of(it.end));
        EXPECT_GE(b.height, l.map.params.covered_min) << it.label;
        const auto& col = l.map.columns[size_t(it.column)];
        EXPECT_GE(b.x, col.x);
        EXPECT_LE(b.x + b.width, col.x + col.width);
    }
    for (size_t i = 0; i < bars.size(); ++i)
        for (size_t j = i + 1; j < bars.size(); ++j) {
            const auto& a = bars[i];
            const auto& b = bars[j];
            bool x_overlap = a.x < b.x + b.width && b.x < a.x + a.width;
            bool y_overlap = a.y < b.y + b.height && b.y < a.y + a.height;
            EXPECT_FALSE(x_overlap && y_overlap)
                << l.map.items[a.item].id << " and " << l.map.items[b.item].id;
            // Address overlap shows as y overlap, and only then.
            const auto& p = l.map.items[a.item];
            const auto& q = l.map.items[b.item];
            bool addr_overlap = p.base < q.end && q.base < p.end;
            EXPECT_EQ(addr_overlap, y_overlap) << p.id << " and " << q.id;
        }
}

std::string corpus_name(const ::testing::TestParamInfo<std::string>& info) {
    std::string root = JAILCONF_SOURCE_DIR;
    std::string rel = info.param.rfind(root, 0) == 0 ? info.param.substr(root.size()) : info.param;
    std::string out;
    for (char c : rel)
        out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    return out;
}

INSTANTIATE_TEST_SUITE_P(Real, RenderLayoutCorpus, ::testing::ValuesIn(test::render_corpus()),
                         corpus_name);

TEST(RenderLayout, RegionsFrom4KiBTo1TiBStayReadable) {
    System s = test::base_system();
    s.cells[0].memory = {test::region("tiny", 0x1000, 0x1000),
                         test::region("huge", 0x100'0000'0000, 0x100'0000'0000),
                         test::region("mid", 0x4000'0000, 0x20'0000)};
    auto elements = render::collect_elements(s);
    auto map = render::layout_address_map(s, elements);
    std::map<std::string, double> height;
    for (const auto& b : map.bars)
        height[map.items[b.item].label] = b.height;
    EXPECT_GE(height["tiny"], map.params.covered_min);
    EXPECT_LE(height["huge"], map.params.covered_max);
    EXPECT_LT(height["tiny"], height["mid"]);
    EXPECT_LT(height["mid"], height["huge"]);
    // A linear axis would make the 4 KiB bar 2^28 times shorter than the 1 TiB one.
    EXPECT_GT(height["tiny"] / height["huge"], 0.1);
    // The 1 TiB - 4 GiB hole below "huge" is an unused gap: a fixed thin band.
    bool saw_big_gap = false;
    for (const auto& st : map.axis)
        if (st.gap && st.end - st.start > (1ull << 39)) {
            saw_big_gap = true;
            EXPECT_DOUBLE_EQ(st.y1 - st.y0, map.params.gap);
        }
    EXPECT_TRUE(saw_big_gap);
    EXPECT_LT(map.height, 1200);
}

TEST(RenderLayout, OverlapsInOneColumnGoSideBySideAndLanesAreReused) {
    System s = test::base_system();
    s.cells[1].memory = {test::region("a", 0x100000, 0x10000), test::region("b", 0x108000, 0x10000),
                         test::region("c", 0x200000, 0x1000)};
    auto elements = render::collect_elements(s);
    auto map = render::layout_address_map(s, elements);
    std::map<std::string, int> lane;
    int column = -1;
    for (const auto& b : map.bars) {
        const auto& it = map.items[b.item];
        if (elements[it.element].owner == 1) {
            lane[it.label] = b.lane;
            column = it.column;
        }
    }
    EXPECT_EQ(lane["a"], 0);
    EXPECT_EQ(lane["b"], 1);
    EXPECT_EQ(lane["c"], 0);
    ASSERT_GE(column, 0);
    EXPECT_EQ(map.columns[size_t(column)].lanes, 2);
    EXPECT_DOUBLE_EQ(map.columns[size_t(column)].width, 2 * map.params.lane_width);
}

TEST(RenderLayout, SharedAddressesLineUpAcrossColumns) {
    // qemu-virt: the root cell's uart0 and the hypervisor's console are the same 4 KiB page.
    Laid l = lay_out(std::string(JAILCONF_SOURCE_DIR) + "/examples/qemu-virt.yaml");
    ASSERT_TRUE(l.input.system);
    const render::MapBar* uart = nullptr;
    const render::MapBar* console = nullptr;
    for (const auto& b : l.map.bars) {
        const auto& it = l.map.items[b.item];
        if (it.label == "uart0")
            uart = &b;
        if (l.elements[it.element].kind == ElementKind::hypervisor_console)
            console = &b;
    }
    ASSERT_TRUE(uart && console);
    EXPECT_DOUBLE_EQ(uart->y, console->y);
    EXPECT_DOUBLE_EQ(uart->height, console->height);
    EXPECT_NE(uart->x, console->x);
}

TEST(RenderLayout, RegionEndingPastTwoToTheSixtyFourIsClamped) {
    System s = test::base_system();
    s.cells[1].memory = {test::region("wrap", UINT64_MAX - 0xfff, 0x2000)};
    auto elements = render::collect_elements(s);
    auto map = render::layout_address_map(s, elements);
    bool found = false;
    for (const auto& it : map.items)
        if (it.label == "wrap") {
            found = true;
            EXPECT_EQ(it.end, UINT64_MAX);
        }
    EXPECT_TRUE(found);
    EXPECT_DOUBLE_EQ(map.y_of(UINT64_MAX), map.height);
}

TEST(RenderLayout, ZeroSizeRegionsAreNotDrawn) {
    System s = test::base_system();
    s.cells[1].memory.push_back(test::region("empty", 0x300000, 0));
    auto elements = render::collect_elements(s);
    auto map = render::layout_address_map(s, elements);
    for (const auto& it : map.items)
        EXPECT_NE(it.label, "empty");
}

} // namespace
} // namespace jailconf
