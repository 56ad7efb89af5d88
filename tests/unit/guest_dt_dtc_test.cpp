// The two serializations of a guest tree judged by the independent tool: dtc compiles every
// emitted .dts without a warning, and dtc sees the same tree in our blob as in its own compile of
// our text (one tree, two views). dtc prints a tree read from DTS with its labels and `&label`
// references, and one read from a blob with numbers, so both are compared in blob form, printed
// by `dtc -I dtb -O dts`. The blob is deterministic and its header says which CPU boots.
#include "guest_dt_support.hpp"

namespace jailconf {
namespace {

using namespace jailconf::testing;

struct Emitted {
    std::string what;
    guest_dt::Tree tree;
    std::vector<uint8_t> dtb;
};

// Root cells of every board (with and without the host tree) and both cells of the example.
std::vector<Emitted> every_tree() {
    std::vector<Emitted> out;
    auto add = [&](const std::string& what, const System& s, const Cell& c,
                   const inventory::Inventory& inv, const guest_dt::HostTree* host) {
        auto tree = guest_dt::build_tree(s, c, inv, host);
        EXPECT_TRUE(tree.has_value()) << what << ": " << tree.error().message;
        if (!tree)
            return;
        auto dtb = guest_dt::to_dtb(*tree);
        EXPECT_TRUE(dtb.has_value()) << what;
        if (dtb)
            out.push_back(Emitted{what, *tree, *dtb});
    };
    for (const std::string& name : dt_fixtures()) {
        Board b = load_board(name);
        if (!b.ok)
            continue;
        add(name + " (host tree)", b.system, b.system.cells.front(), b.inv, &*b.host);
        add(name + " (inventory only)", b.system, b.system.cells.front(), b.inv, nullptr);
    }
    Board q = load_board("qemu-virt-gicv3");
    System s = load_example("examples/qemu-virt.yaml");
    for (const Cell& c : s.cells)
        add("qemu-virt.yaml " + c.name, s, c, q.inv, &*q.host);
    for (const char* example : hv_examples) {
        System e = load_example(example);
        for (const Cell& c : e.cells)
            add(std::string(example) + " " + c.name, e, c, q.inv, &*q.host);
    }
    return out;
}

TEST(GuestDtDtc, DtcCompilesEveryDtsWithoutWarningsAndSeesTheSameTreeAsOurBlob) {
    auto trees = every_tree();
    ASSERT_GE(trees.size(), 2 * (dt_fixtures().size() - 1));
    for (const auto& e : trees) {
        SCOPED_TRACE(e.what);
        std::string dts = temp_file(".dts", guest_dt::to_dts(e.tree));
        std::string dtb = temp_file(".dtb", dtb_string(e.dtb));
        // -q is not given: every warning dtc has is printed and fails the test.
        std::string diagnostics = run("dtc -I dts -O dtb -o /dev/null " + dts + " 2>&1");
        std::string status = run("dtc -I dts -O dtb -o /dev/null " + dts +
                                 " >/dev/null 2>&1 && "
                                 "echo ok");
        EXPECT_EQ(status, "ok\n");
        EXPECT_EQ(diagnostics, "");
        std::string compiled = temp_file(".dtb", run("dtc -I dts -O dtb " + dts + " 2>/dev/null"));
        std::string from_text = run("dtc -I dtb -O dts " + compiled + " 2>/dev/null");
        ::unlink(compiled.c_str());
        std::string from_blob = run("dtc -I dtb -O dts " + dtb + " 2>/dev/null");
        EXPECT_FALSE(from_blob.empty());
        EXPECT_EQ(from_blob, from_text);
        ::unlink(dts.c_str());
        ::unlink(dtb.c_str());
    }
}

TEST(GuestDtDtc, SameInputGivesTheSameBytes) {
    for (const std::string& name : {std::string("zynqmp-zcu102-rev1.0"), std::string("juno-r2")}) {
        // Two independent runs from the file: scan, generate, build, write.
        Board a = load_board(name), b = load_board(name);
        ASSERT_TRUE(a.ok && b.ok);
        auto ta = guest_dt::build_tree(a.system, a.system.cells.front(), a.inv, &*a.host);
        auto tb = guest_dt::build_tree(b.system, b.system.cells.front(), b.inv, &*b.host);
        ASSERT_TRUE(ta && tb);
        auto da = guest_dt::to_dtb(*ta), db = guest_dt::to_dtb(*tb);
        ASSERT_TRUE(da && db);
        EXPECT_EQ(*da, *db) << name;
        EXPECT_EQ(guest_dt::to_dts(*ta), guest_dt::to_dts(*tb)) << name;
    }
}

TEST(GuestDtDtc, BlobHeaderNamesTheBootCpuAndReadsBackWithOurReader) {
    Board b = load_board("qemu-virt-gicv3");
    System s = load_example("examples/qemu-virt.yaml");
    const Cell& rt = *s.find_cell("rt");
    auto tree = guest_dt::build_tree(s, rt, b.inv, &*b.host);
    ASSERT_TRUE(tree);
    auto dtb = guest_dt::to_dtb(*tree);
    ASSERT_TRUE(dtb);
    std::string blob = dtb_string(*dtb);
    ASSERT_GE(blob.size(), 40u);
    auto be = [&](size_t off) { return dts_cells(blob.substr(off, 4)).front(); };
    EXPECT_EQ(be(0), 0xd00dfeedu);
    EXPECT_EQ(be(4), blob.size());
    EXPECT_EQ(be(20), 17u);
    uint64_t first_cpu_mpidr = 0;
    for (const auto& p : s.platform.cpus)
        if (p.id == rt.cpus.front().first)
            first_cpu_mpidr = p.hw_id;
    EXPECT_EQ(be(28), first_cpu_mpidr);
    // dtc -O dtb of our text has the same structure block length (same tree, same padding).
    std::string dts = temp_file(".dts", guest_dt::to_dts(*tree));
    std::string theirs = run("dtc -I dts -O dtb " + dts + " 2>/dev/null");
    ::unlink(dts.c_str());
    ASSERT_GE(theirs.size(), 40u);
    EXPECT_EQ(dts_cells(theirs.substr(36, 4)).front(), be(36));
}

} // namespace
} // namespace jailconf
