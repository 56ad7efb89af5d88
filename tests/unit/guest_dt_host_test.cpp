// The host tree's part: plain properties copied, phandle properties dropped (no reference in a
// guest tree dangles), fixed clocks recreated for the pl011, and broken host blobs refused with a
// precise error instead of a crash. Also the refusals of build_tree itself.
#include <algorithm>
#include <array>
#include <fmt/format.h>
#include <map>
#include <set>

#include "guest_dt_support.hpp"

namespace jailconf {
namespace {

using namespace jailconf::testing;

std::optional<DtsTree> dts_of(const guest_dt::Tree& t) {
    auto dtb = guest_dt::to_dtb(t);
    if (!dtb)
        return std::nullopt;
    std::string path = temp_file(".dtb", dtb_string(*dtb));
    auto tree = dtc_tree(path);
    ::unlink(path.c_str());
    return tree;
}

const DtsNode* host_node_with_phandle(const DtsTree& t, uint32_t phandle) {
    for (const auto& n : t.nodes)
        if (const std::string* p = n.get("phandle"); p && dts_cells(*p).front() == phandle)
            return &n;
    return nullptr;
}

TEST(GuestDtHost, NoPhandlePropertyDanglesAndPlainPropertiesAreCopied) {
    static const std::set<std::string> phandle_props = {
        "resets",    "power-domains", "dmas",          "iommus",        "msi-parent",
        "pinctrl-0", "phys",          "memory-region", "interconnects", "operating-points-v2"};
    static const std::vector<std::string> plain = {"clock-frequency", "current-speed",
                                                   "reg-shift",       "reg-io-width",
                                                   "dma-coherent",    "arm,primecell-periphid"};
    size_t copied = 0;
    for (const std::string& name : dt_fixtures()) {
        Board b = load_board(name);
        if (!b.ok)
            continue;
        SCOPED_TRACE(name);
        auto tree = guest_dt::build_tree(b.system, b.system.cells.front(), b.inv, &*b.host);
        ASSERT_TRUE(tree);
        auto guest = dts_of(*tree);
        ASSERT_TRUE(guest);
        auto host = dtc_tree(fixture_path(name));
        ASSERT_TRUE(host);
        std::set<uint32_t> phandles;
        for (const auto& n : guest->nodes)
            if (const std::string* p = n.get("phandle"))
                phandles.insert(dts_cells(*p).front());
        for (const auto& n : guest->nodes) {
            if (const std::string* names = n.get("interrupt-names")) {
                const std::string* irqs = n.get("interrupts");
                ASSERT_NE(irqs, nullptr) << n.path;
                EXPECT_EQ(size_t(std::count(names->begin(), names->end(), '\0')),
                          dts_cells(*irqs).size() / 3)
                    << n.path;
            }
            for (const auto& [prop, value] : n.props) {
                EXPECT_FALSE(phandle_props.count(prop)) << n.path << " " << prop;
                if (prop == "interrupt-parent" || prop == "clocks") {
                    for (uint32_t ph : dts_cells(value))
                        EXPECT_TRUE(phandles.count(ph)) << n.path << " " << prop;
                }
            }
        }
        // Generated root cells map devices at their physical address: the guest node of host
        // device D is <base name of D>@<first reg>, and its plain properties are D's.
        for (const auto& d : b.inv.devices) {
            if (d.regs.empty())
                continue;
            std::string last = d.path.substr(d.path.rfind('/') + 1);
            std::string guest_path =
                "/" + last.substr(0, last.find('@')) + "@" + fmt::format("{:x}", d.regs[0].base);
            const DtsNode* g = guest->node(guest_path);
            const DtsNode* h = host->node(d.path);
            if (!g || !h)
                continue;
            for (const std::string& p : plain)
                if (const std::string* hv = h->get(p)) {
                    const std::string* gv = g->get(p);
                    ASSERT_NE(gv, nullptr) << guest_path << " " << p;
                    EXPECT_EQ(*gv, *hv) << guest_path << " " << p;
                    ++copied;
                }
        }
    }
    EXPECT_GT(copied, 0u);
}

TEST(GuestDtHost, Pl011GetsFixedClocksOfTheHostsFrequencies) {
    Board b = load_board("qemu-virt-gicv3");
    ASSERT_TRUE(b.ok);
    const Cell& root = b.system.cells.front();
    ASSERT_TRUE(root.console);
    auto host = dtc_tree(fixture_path("qemu-virt-gicv3"));
    ASSERT_TRUE(host);
    std::string uart_path;
    for (const auto& d : b.inv.devices)
        if (!d.regs.empty() && d.regs.front().base == root.console->base)
            uart_path = d.path;
    const DtsNode* h = host->node(uart_path);
    ASSERT_NE(h, nullptr) << uart_path;
    ASSERT_NE(h->get("clocks"), nullptr);
    std::vector<std::string> want; // host clock frequencies in order, as raw cells
    for (uint32_t ph : dts_cells(*h->get("clocks"))) {
        const DtsNode* clk = host_node_with_phandle(*host, ph);
        ASSERT_NE(clk, nullptr);
        ASSERT_EQ(*clk->get("compatible"), std::string("fixed-clock") + '\0');
        want.push_back(*clk->get("clock-frequency"));
    }

    std::string guest_path = uart_path.substr(uart_path.rfind('/'));
    for (const guest_dt::HostTree* with :
         std::array<const guest_dt::HostTree*, 2>{&*b.host, nullptr}) {
        auto tree = guest_dt::build_tree(b.system, root, b.inv, with);
        ASSERT_TRUE(tree);
        auto guest = dts_of(*tree);
        ASSERT_TRUE(guest);
        const DtsNode* g = guest->node(guest_path);
        ASSERT_NE(g, nullptr) << guest_path;
        if (!with) { // the inventory alone knows no clocks
            EXPECT_EQ(g->get("clocks"), nullptr);
            continue;
        }
        ASSERT_NE(g->get("clocks"), nullptr);
        std::vector<std::string> got;
        for (uint32_t ph : dts_cells(*g->get("clocks"))) {
            const DtsNode* clk = host_node_with_phandle(*guest, ph);
            ASSERT_NE(clk, nullptr);
            EXPECT_EQ(*clk->get("compatible"), std::string("fixed-clock") + '\0');
            EXPECT_EQ(dts_cells(*clk->get("#clock-cells")).front(), 0u);
            got.push_back(*clk->get("clock-frequency"));
        }
        EXPECT_EQ(got, want);
        EXPECT_EQ(*g->get("clock-names"), *h->get("clock-names"));
    }
}

TEST(GuestDtHost, BrokenHostBlobsGiveAPreciseErrorNotACrash) {
    std::string blob = read_binary(fixture_path("zynqmp-zcu102-rev1.0"));
    ASSERT_GT(blob.size(), 1000u);
    auto truncated = guest_dt::HostTree::parse(blob.substr(0, blob.size() / 2), "half.dtb");
    ASSERT_FALSE(truncated);
    EXPECT_NE(truncated.error().str().find("half.dtb"), std::string::npos);
    EXPECT_NE(truncated.error().str().find("truncated"), std::string::npos)
        << truncated.error().str();

    std::string bad_magic = blob;
    bad_magic[0] = 'X';
    auto magic = guest_dt::HostTree::parse(bad_magic, "magic.dtb");
    ASSERT_FALSE(magic);
    EXPECT_NE(magic.error().str().find("magic"), std::string::npos);

    EXPECT_FALSE(guest_dt::HostTree::parse("", "empty.dtb"));

    // Deterministic damage all over the blob: every outcome is a value, never a crash; a tree
    // that still parses still gives a guest tree or an error.
    Board b = load_board("zynqmp-zcu102-rev1.0");
    ASSERT_TRUE(b.ok);
    uint32_t seed = 12345;
    size_t parsed = 0;
    for (int i = 0; i < 150; ++i) {
        std::string damaged = blob;
        for (int k = 0; k < 4; ++k) {
            seed = seed * 1103515245u + 12345u;
            damaged[(seed >> 8) % damaged.size()] = char(seed >> 24);
        }
        auto host = guest_dt::HostTree::parse(damaged, "damaged.dtb");
        if (!host) {
            EXPECT_FALSE(host.error().message.empty());
            continue;
        }
        ++parsed;
        auto tree = guest_dt::build_tree(b.system, b.system.cells.front(), b.inv, &*host);
        if (tree) {
            EXPECT_TRUE(guest_dt::to_dtb(*tree).has_value());
        }
    }
    SUCCEED() << parsed << " damaged blobs still parsed";
}

TEST(GuestDtBuild, RefusesWhatItCannotDescribe) {
    Board b = load_board("qemu-virt-gicv3");
    ASSERT_TRUE(b.ok);
    System x86 = load_example("examples/x86-q35.yaml");
    ASSERT_FALSE(x86.cells.empty());
    auto t = guest_dt::build_tree(x86, x86.cells.front(), b.inv, nullptr);
    ASSERT_FALSE(t);
    EXPECT_EQ(t.error().kind, guest_dt::Error::Kind::unsupported);
    EXPECT_EQ(t.error().message, "not supported yet: guest device trees for x86_64");

    // A cell without RAM: named, with a fix.
    System s = b.system;
    Cell& root = s.cells.front();
    std::vector<MemoryRegion> io_only;
    for (const auto& m : root.memory)
        if (m.flags & mem_io)
            io_only.push_back(m);
    root.memory = io_only;
    auto no_ram = guest_dt::build_tree(s, root, b.inv, nullptr);
    ASSERT_FALSE(no_ram);
    EXPECT_EQ(no_ram.error().kind, guest_dt::Error::Kind::input);
    EXPECT_NE(no_ram.error().message.find("'" + root.name + "' has no RAM"), std::string::npos);
    EXPECT_FALSE(no_ram.error().fix.empty());

    // A CPU the platform does not list.
    s = b.system;
    uint32_t missing = 0;
    for (const auto& p : s.platform.cpus)
        missing = std::max(missing, p.id + 1);
    s.cells.front().cpus.push_back(IdRange{missing, missing, {}});
    auto no_cpu = guest_dt::build_tree(s, s.cells.front(), b.inv, nullptr);
    ASSERT_FALSE(no_cpu);
    EXPECT_NE(no_cpu.error().message.find(fmt::format("CPU {} is not in platform.cpus", missing)),
              std::string::npos);

    // An inventory without the architected timer.
    inventory::Inventory no_timer = b.inv;
    no_timer.timers.clear();
    auto timerless = guest_dt::build_tree(b.system, b.system.cells.front(), no_timer, nullptr);
    ASSERT_FALSE(timerless);
    EXPECT_NE(timerless.error().message.find("architected timer"), std::string::npos);
}

} // namespace
} // namespace jailconf
