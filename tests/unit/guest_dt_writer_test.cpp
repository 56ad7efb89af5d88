// The two writers on their own, with dtc as the oracle: every value kind (empty, cells, strings
// with characters DTS must escape, odd-length bytes, phandle references), nested nodes, and
// property names shared in the strings block. dtc reading our blob and dtc compiling our text
// must print the same tree, and our own FDT reader must read the blob back byte for byte.
#include "guest_dt_support.hpp"
#include "scan/dt/fdt_reader.hpp"

namespace jailconf {
namespace {

using namespace jailconf::testing;
using guest_dt::Node;
using guest_dt::Property;

guest_dt::Tree awkward_tree() {
    guest_dt::Tree t;
    t.cell = "writer";
    t.root.properties = {Property::cells("#address-cells", {2}),
                         Property::cells("#size-cells", {2}),
                         Property::string("model", "quote \" backslash \\ tab\there"),
                         Property::strings("compatible", {"a,b", "c"}),
                         Property::phandle_list("interrupt-parent", {7})};
    Node provider{"provider", "prov", {}, {}};
    provider.properties = {Property::cells("#interrupt-cells", {1}),
                           Property::cells("#address-cells", {0}),
                           Property::flag("interrupt-controller"), Property::cells("phandle", {7})};
    Node child{"child@1000", {}, {}, {}};
    child.properties = {Property::cells("reg", {0, 0x1000, 0, 0x100}),
                        Property::raw("odd-bytes", std::string("\x01\x02\x03", 3)),
                        Property::raw("raw-string", std::string("plain\0", 6)),
                        Property::raw("raw-cells", std::string("\0\0\0\x2a", 4)),
                        Property::flag("empty")};
    Node grandchild{"leaf", {}, {}, {}};
    grandchild.properties = {Property::string("model", "deep")};
    child.children.push_back(grandchild);
    t.root.children = {provider, child};
    return t;
}

TEST(GuestDtWriter, DtcAndOurReaderAgreeWithBothSerializations) {
    guest_dt::Tree t = awkward_tree();
    auto dtb = guest_dt::to_dtb(t);
    ASSERT_TRUE(dtb);
    std::string dts = guest_dt::to_dts(t);
    std::string dts_path = temp_file(".dts", dts);
    std::string dtb_path = temp_file(".dtb", dtb_string(*dtb));
    EXPECT_EQ(run("dtc -I dts -O dtb -o /dev/null " + dts_path + " 2>&1"), "") << dts;
    std::string compiled = temp_file(".dtb", run("dtc -I dts -O dtb " + dts_path + " 2>/dev/null"));
    std::string theirs = run("dtc -I dtb -O dts " + compiled + " 2>/dev/null");
    std::string ours = run("dtc -I dtb -O dts " + dtb_path + " 2>/dev/null");
    EXPECT_FALSE(ours.empty());
    EXPECT_EQ(ours, theirs);
    for (const auto& p : {dts_path, dtb_path, compiled})
        ::unlink(p.c_str());

    // Our reader: the same nodes, in order, with the same property bytes.
    auto back = scan::dt::read_fdt(dtb_string(*dtb), "writer.dtb");
    ASSERT_TRUE(back) << back.error().str();
    std::vector<const Node*> order;
    std::vector<const Node*> stack = {&t.root};
    while (!stack.empty()) { // preorder, siblings in order
        const Node* n = stack.back();
        stack.pop_back();
        order.push_back(n);
        for (auto it = n->children.rbegin(); it != n->children.rend(); ++it)
            stack.push_back(&*it);
    }
    ASSERT_EQ(back->nodes.size(), order.size());
    for (size_t i = 0; i < order.size(); ++i) {
        const auto& got = back->nodes[i];
        EXPECT_EQ(got.name, order[i]->name);
        ASSERT_EQ(got.property_count, order[i]->properties.size()) << got.name;
        for (uint32_t k = 0; k < got.property_count; ++k) {
            EXPECT_EQ(back->properties[got.first_property + k].name, order[i]->properties[k].name);
            EXPECT_EQ(back->properties[got.first_property + k].value,
                      order[i]->properties[k].value);
        }
    }
}

TEST(GuestDtWriter, RawValuesAreGuessedAsDtcGuessesThem) {
    EXPECT_EQ(Property::raw("p", "").kind, guest_dt::ValueKind::empty);
    EXPECT_EQ(Property::raw("p", std::string("ok\0", 3)).kind, guest_dt::ValueKind::strings);
    EXPECT_EQ(Property::raw("p", std::string("a\0\0b\0", 5)).kind, guest_dt::ValueKind::bytes);
    EXPECT_EQ(Property::raw("p", std::string("\0\0\0\x01", 4)).kind, guest_dt::ValueKind::cells);
    EXPECT_EQ(Property::raw("p", std::string("\x01\x02", 2)).kind, guest_dt::ValueKind::bytes);
}

TEST(GuestDtWriter, RefusesANodeNameWithANul) {
    guest_dt::Tree t;
    t.root.children.push_back(Node{std::string("bad\0name", 8), {}, {}, {}});
    auto dtb = guest_dt::to_dtb(t);
    ASSERT_FALSE(dtb);
    EXPECT_NE(dtb.error().message.find("NUL"), std::string::npos);
}

} // namespace
} // namespace jailconf
