// The blob reader against dtc, an independent implementation: for every fixture the same nodes
// in the same order, every property byte for byte, the same /memreserve/ entries.
#include <gtest/gtest.h>

#include "scan/dt/fdt_reader.hpp"
#include "scan_dt_support.hpp"

namespace jailconf::testing {
namespace {

using scan::dt::Tree;

std::string path_of(const Tree& t, uint32_t n) {
    if (n == 0)
        return "/";
    std::string p;
    for (uint32_t m = n; m != 0; m = t.nodes[m].parent)
        p = "/" + t.nodes[m].name + p;
    return p;
}

// Pre-order, as dtc prints the tree.
void preorder(const Tree& t, uint32_t n, std::vector<uint32_t>& out) {
    out.push_back(n);
    for (uint32_t c : t.nodes[n].children)
        preorder(t, c, out);
}

class ReaderVsDtc : public ::testing::TestWithParam<std::string> {};

TEST_P(ReaderVsDtc, SameNodesPropertiesAndReservations) {
    std::string path = fixture_path(GetParam());
    auto expected = dtc_tree(path);
    ASSERT_TRUE(expected) << "dtc could not decompile " << path;
    auto tree = scan::dt::read_fdt(read_binary(path), path);
    ASSERT_TRUE(tree) << tree.error().str();

    std::vector<uint32_t> order;
    preorder(*tree, 0, order);
    ASSERT_EQ(order.size(), expected->nodes.size());
    ASSERT_EQ(tree->nodes.size(), expected->nodes.size());
    size_t props = 0;
    for (size_t i = 0; i < order.size(); ++i) {
        const auto& node = tree->nodes[order[i]];
        const DtsNode& want = expected->nodes[i];
        ASSERT_EQ(path_of(*tree, order[i]), want.path);
        ASSERT_EQ(node.property_count, want.props.size()) << want.path;
        for (uint32_t k = 0; k < node.property_count; ++k) {
            const auto& p = tree->properties[node.first_property + k];
            EXPECT_EQ(p.name, want.props[k].first) << want.path;
            EXPECT_EQ(p.value, want.props[k].second) << want.path << " " << p.name;
            ++props;
        }
        ASSERT_TRUE(node.offset) << want.path;
    }
    EXPECT_EQ(props, tree->properties.size());
    ASSERT_EQ(tree->memreserve.size(), expected->memreserve.size());
    for (size_t i = 0; i < tree->memreserve.size(); ++i) {
        EXPECT_EQ(tree->memreserve[i].address, expected->memreserve[i].first);
        EXPECT_EQ(tree->memreserve[i].size, expected->memreserve[i].second);
    }
}

// dtc's own round trip rewrites the blob (new string table, new offsets): the tree read from
// it must be the same.
TEST_P(ReaderVsDtc, SameTreeAfterDtcRoundTrip) {
    std::string path = fixture_path(GetParam());
    std::string again = run("dtc -q -I dtb -O dtb " + path + " 2>/dev/null");
    ASSERT_FALSE(again.empty());
    auto a = scan::dt::read_fdt(read_binary(path), path);
    auto b = scan::dt::read_fdt(again, "round-trip");
    ASSERT_TRUE(a && b);
    ASSERT_EQ(a->nodes.size(), b->nodes.size());
    ASSERT_EQ(a->properties.size(), b->properties.size());
    for (size_t i = 0; i < a->properties.size(); ++i) {
        EXPECT_EQ(a->properties[i].name, b->properties[i].name);
        EXPECT_EQ(a->properties[i].value, b->properties[i].value);
    }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, ReaderVsDtc, ::testing::ValuesIn(dt_fixtures()),
                         [](const auto& info) {
                             std::string n = info.param;
                             for (char& c : n)
                                 if (!isalnum(static_cast<unsigned char>(c)))
                                     c = '_';
                             return n;
                         });

} // namespace
} // namespace jailconf::testing
