// Broken and hostile device trees: truncated and corrupted real blobs, structural violations
// built on purpose, bombs, and phandle cycles. Each gives a precise ScanError (or a note on the
// device concerned) and never a crash, hang or sanitizer report.
#include <random>

#include <gtest/gtest.h>

#include "scan/scanners.hpp"
#include "scan_dt_support.hpp"

namespace jailconf::testing {
namespace {

using scan::scan_device_tree_blob;

void put32(std::string& s, size_t off, uint32_t v) {
    for (int i = 0; i < 4; ++i)
        s[off + i] = char(v >> (24 - 8 * i));
}
uint32_t get32(const std::string& s, size_t off) {
    return dts_cells(s.substr(off, 4))[0];
}

// A minimal FDT writer, so that tests can build blobs dtc would refuse to write.
class FdtBuilder {
  public:
    FdtBuilder& begin(const std::string& name) {
        word(1);
        structure_ += name;
        structure_.push_back('\0');
        pad();
        return *this;
    }
    FdtBuilder& end() {
        word(2);
        return *this;
    }
    FdtBuilder& prop(const std::string& name, const std::string& value) {
        word(3);
        word(uint32_t(value.size()));
        word(uint32_t(strings_.size()));
        strings_ += name;
        strings_.push_back('\0');
        structure_ += value;
        pad();
        return *this;
    }
    FdtBuilder& raw(const std::string& bytes) {
        structure_ += bytes;
        return *this;
    }
    std::string finish(bool with_end = true) {
        if (with_end)
            word(9);
        std::string blob(56, '\0');
        put32(blob, 0, 0xd00dfeed);
        put32(blob, 8, 56);                                // structure block
        put32(blob, 12, uint32_t(56 + structure_.size())); // strings block
        put32(blob, 16, 40);                               // reservation map
        put32(blob, 20, 17);                               // version
        put32(blob, 24, 16);                               // last compatible version
        put32(blob, 32, uint32_t(strings_.size()));
        put32(blob, 36, uint32_t(structure_.size()));
        blob += structure_ + strings_;
        put32(blob, 4, uint32_t(blob.size()));
        return blob;
    }

  private:
    void word(uint32_t v) {
        std::string w(4, '\0');
        put32(w, 0, v);
        structure_ += w;
    }
    void pad() {
        while (structure_.size() % 4)
            structure_.push_back('\0');
    }
    std::string structure_, strings_;
};

ScanError expect_error(const std::string& blob, const std::string& message_part) {
    auto r = scan_device_tree_blob(blob, "t.dtb");
    EXPECT_FALSE(r) << "accepted a broken blob";
    if (r)
        return {};
    EXPECT_EQ(r.error().kind, ScanError::Kind::malformed);
    EXPECT_EQ(r.error().file, "t.dtb");
    EXPECT_TRUE(r.error().offset);
    EXPECT_NE(r.error().message.find(message_part), std::string::npos) << r.error().str();
    EXPECT_FALSE(r.error().fix.empty());
    return r.error();
}

TEST(DtBroken, TruncatedEverywhere) {
    for (const std::string& name : {std::string("qemu-virt-gicv3"), std::string("juno-r2")}) {
        std::string blob = read_binary(fixture_path(name));
        for (size_t len = 0; len < blob.size(); len += 97) {
            std::string cut = blob.substr(0, len);
            auto r = scan_device_tree_blob(cut, "t.dtb");
            ASSERT_FALSE(r) << len;
            ASSERT_TRUE(r.error().offset) << len;
            EXPECT_LE(*r.error().offset, len);
            // The same cut with a header that admits it: the reader must find the damage
            // inside the blocks.
            if (len >= 40) {
                put32(cut, 4, uint32_t(len));
                auto r2 = scan_device_tree_blob(cut, "t.dtb");
                ASSERT_FALSE(r2) << len;
                ASSERT_TRUE(r2.error().offset) << len;
                EXPECT_LE(*r2.error().offset, len) << r2.error().str();
            }
        }
    }
}

TEST(DtBroken, HeaderErrors) {
    std::string blob = read_binary(fixture_path("qemu-virt-gicv3"));
    std::string bad = blob;
    bad[0] = 'X';
    EXPECT_EQ(expect_error(bad, "magic").offset, 0u);
    EXPECT_EQ(expect_error(blob.substr(0, blob.size() - 1), "file has").offset, 4u);
    bad = blob;
    put32(bad, 20, 3);
    EXPECT_EQ(expect_error(bad, "version 3").offset, 20u);
    bad = blob;
    put32(bad, 8, 0x10000001); // structure block outside
    EXPECT_EQ(expect_error(bad, "structure block offset").offset, 8u);
    bad = blob;
    put32(bad, 8, get32(bad, 8) + 2); // misaligned
    EXPECT_EQ(expect_error(bad, "misaligned").offset, 8u);
    bad = blob;
    put32(bad, 32, 0x100000); // strings block runs past the end
    EXPECT_EQ(expect_error(bad, "strings block size").offset, 32u);
    bad = blob;
    put32(bad, 16, 0x2c); // reservation map misaligned
    EXPECT_EQ(expect_error(bad, "reservation map").offset, 16u);
}

TEST(DtBroken, PropertyNameOffsetOutsideStrings) {
    std::string blob = read_binary(fixture_path("qemu-virt-gicv3"));
    size_t token = get32(blob, 8);
    while (get32(blob, token) != 3) // first FDT_PROP (the root's name comes first)
        token += 4;
    put32(blob, token + 8, 0x7fffffff);
    EXPECT_EQ(expect_error(blob, "name offset").offset, token + 8);
}

TEST(DtBroken, StructuralViolations) {
    // A node name that runs to the end of the structure block.
    std::string unterminated = FdtBuilder().raw(std::string("\0\0\0\1abcdefgh", 12)).finish(false);
    expect_error(unterminated, "not terminated");
    // A property whose length runs past the structure block.
    std::string blob = FdtBuilder().begin("").prop("x", "1234").end().finish();
    put32(blob, 56 + 8 + 4, 0x1000);
    expect_error(blob, "property length");
    expect_error(FdtBuilder().begin("").end().end().finish(), "without an open node");
    expect_error(FdtBuilder().begin("").begin("a").end().finish(), "nodes are open");
    expect_error(FdtBuilder().begin("").end().finish(false), "without FDT_END");
    expect_error(FdtBuilder().begin("").begin("a/b").end().end().finish(), "contains '/'");
    expect_error(FdtBuilder().begin("").begin("").end().end().finish(), "empty node name");
    expect_error(FdtBuilder().begin("").begin("a").end().prop("late", "").end().finish(),
                 "after a subnode");
    expect_error(FdtBuilder().begin("").raw(std::string("\0\0\0\x77", 4)).end().finish(),
                 "unknown structure token");
    expect_error(FdtBuilder().begin("").end().begin("").end().finish(), "after the root");
}

TEST(DtBroken, DeepNesting) {
    FdtBuilder b;
    b.begin("");
    for (int i = 0; i < 100; ++i)
        b.begin("n");
    for (int i = 0; i < 100; ++i)
        b.end();
    expect_error(b.end().finish(), "deeper than 64");
}

TEST(DtBroken, NodeCountBomb) {
    FdtBuilder b;
    b.begin("");
    for (int i = 0; i < 70000; ++i)
        b.begin("n@" + std::to_string(i)).prop("reg", std::string(8, '\0')).end();
    expect_error(b.end().finish(), "more than 65536 nodes");
}

TEST(DtBroken, RandomCorruptionNeverCrashes) {
    std::string blob = read_binary(fixture_path("qemu-virt-smmuv3-pci"));
    std::mt19937 rng(1234);
    size_t accepted = 0;
    for (int i = 0; i < 300; ++i) {
        std::string bad = blob;
        for (int k = 0; k < 4; ++k)
            bad[rng() % bad.size()] = char(rng());
        auto r = scan_device_tree_blob(bad, "t.dtb");
        accepted += bool(r);
        if (!r) {
            EXPECT_TRUE(r.error().offset) << r.error().str();
        }
    }
    EXPECT_GT(accepted, 0u); // most flips land in property values, which stay readable
}

// ---- Phandle trouble: the tree reads, the device says what could not be resolved ----------

const inventory::Device* device(const inventory::Inventory& inv, const std::string& path) {
    for (const auto& d : inv.devices)
        if (d.path == path)
            return &d;
    return nullptr;
}

bool has_note(const inventory::Device* d, const std::string& part) {
    if (!d)
        return false;
    for (const auto& n : d->notes)
        if (n.find(part) != std::string::npos)
            return true;
    return false;
}

inventory::Inventory scan_dts(const std::string& dts) {
    std::string blob = compile_dts(dts);
    EXPECT_FALSE(blob.empty()) << "dtc refused the test source";
    auto r = scan_device_tree_blob(blob, "t.dtb");
    EXPECT_TRUE(r) << r.error().str();
    return r ? *r : inventory::Inventory{};
}

constexpr const char* gic_head = R"(/dts-v1/;
/ {
    #address-cells = <1>; #size-cells = <1>;
    interrupt-parent = <&gic>;
    gic: interrupt-controller@1000 {
        compatible = "arm,gic-400"; interrupt-controller; #interrupt-cells = <3>;
        #address-cells = <0>; reg = <0x1000 0x1000>, <0x2000 0x2000>;
    };
)";

TEST(DtBroken, InterruptParentCycle) {
    auto inv = scan_dts(std::string(gic_head) + R"(
    a: a { #interrupt-cells = <1>; interrupt-parent = <&b>; };
    b: b { #interrupt-cells = <1>; interrupt-parent = <&a>; };
    self: self { #interrupt-cells = <1>; interrupt-parent = <&self>; };
    dev@3000 { reg = <0x3000 0x100>; interrupt-parent = <&a>; interrupts = <5>; };
    dev@4000 { reg = <0x4000 0x100>; interrupt-parent = <&self>; interrupts = <6>; };
    dev@5000 { reg = <0x5000 0x100>; interrupts = <0 7 4>; };
};
)");
    EXPECT_TRUE(has_note(device(inv, "/dev@3000"), "cycle"));
    EXPECT_TRUE(has_note(device(inv, "/dev@4000"), "cycle"));
    // The neighbour is unaffected.
    ASSERT_TRUE(device(inv, "/dev@5000"));
    EXPECT_EQ(device(inv, "/dev@5000")->irqs.size(), 1u);
}

TEST(DtBroken, InterruptMapCycleAndMissingPhandle) {
    auto inv = scan_dts(std::string(gic_head) + R"(
    loop: nexus@1 {
        reg = <0x1 0>; #address-cells = <0>; #interrupt-cells = <1>;
        interrupt-map = <1 &loop 1>;
    };
    bad: nexus@2 {
        reg = <0x2 0>; #address-cells = <0>; #interrupt-cells = <1>;
        interrupt-map = <1 0x4242 0 9 4>;
    };
    dev@3000 { reg = <0x3000 0x100>; interrupt-parent = <&loop>; interrupts = <1>; };
    dev@4000 { reg = <0x4000 0x100>; interrupt-parent = <&bad>; interrupts = <1>; };
    dev@5000 { reg = <0x5000 0x100>; interrupt-parent = <0x4343>; interrupts = <1>; };
    dev@6000 { reg = <0x6000 0x100>; clocks = <0x4444 1>; };
};
)");
    EXPECT_TRUE(has_note(device(inv, "/dev@3000"), "more than 32 steps"));
    EXPECT_TRUE(has_note(device(inv, "/dev@4000"), "missing phandle 0x4242"));
    EXPECT_TRUE(has_note(device(inv, "/dev@5000"), "missing phandle 0x4343"));
    EXPECT_TRUE(has_note(device(inv, "/dev@6000"), "missing phandle 0x4444"));
}

TEST(DtBroken, NonGicInterruptsAreNotesNotIntids) {
    auto inv = scan_dts(std::string(gic_head) + R"(
    gpio: gpio@8000 {
        reg = <0x8000 0x100>; interrupts = <0 20 4>;
        interrupt-controller; #interrupt-cells = <2>;
    };
    key@9000 { reg = <0x9000 0x10>; interrupt-parent = <&gpio>; interrupts = <3 2>; };
};
)");
    const auto* key = device(inv, "/key@9000");
    ASSERT_TRUE(key);
    EXPECT_TRUE(key->irqs.empty());
    EXPECT_TRUE(has_note(key, "goes to /gpio@8000, not the GIC"));
}

// interrupts-extended naming the GIC must give what `interrupts` gave: rewrite a real node.
TEST(DtBroken, InterruptsExtendedMatchesInterrupts) {
    std::string dts = run("dtc -q -I dtb -O dts " + fixture_path("qemu-virt-gicv3"));
    auto tree = parse_dts(dts);
    ASSERT_TRUE(tree);
    uint32_t gic_phandle = dts_cells(*tree->node("/intc@8000000")->get("phandle"))[0];
    size_t node = dts.find("pl011@9000000 {");
    size_t at = dts.find("interrupts = <", node);
    ASSERT_NE(at, std::string::npos);
    dts.replace(at, 14, "interrupts-extended = <" + std::to_string(gic_phandle) + " ");
    auto before = scan_device_tree_blob(read_binary(fixture_path("qemu-virt-gicv3")), "a");
    auto after = scan_device_tree_blob(compile_dts(dts), "b");
    ASSERT_TRUE(before && after);
    const auto* a = device(*before, "/pl011@9000000");
    const auto* b = device(*after, "/pl011@9000000");
    ASSERT_TRUE(a && b);
    EXPECT_FALSE(a->irqs.empty());
    EXPECT_EQ(a->irqs, b->irqs);
    EXPECT_EQ(a->notes, b->notes);
}

} // namespace
} // namespace jailconf::testing
