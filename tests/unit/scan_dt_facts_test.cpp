// Interpretation of every fixture against an independent plain reading of dtc's DTS output:
// CPU MPIDRs, memory ranges, GIC addresses, console bases and INTIDs, and the translated regs
// and directly-routed INTIDs of every platform device.
#include <set>

#include <gtest/gtest.h>

#include "scan/scanners.hpp"
#include "scan_dt_support.hpp"

namespace jailconf::testing {
namespace {

struct Scanned {
    DtsTree dts;
    inventory::Inventory inv;
};

Scanned scan_fixture(const std::string& name) {
    std::string path = fixture_path(name);
    auto dts = dtc_tree(path);
    EXPECT_TRUE(dts);
    auto inv = scan::scan_device_tree_blob(read_binary(path), path);
    EXPECT_TRUE(inv) << inv.error().str();
    return Scanned{dts ? *dts : DtsTree{}, inv ? *inv : inventory::Inventory{}};
}

bool is_gic(const DtsNode& n) {
    const std::string* c = n.get("compatible");
    return c && n.get("interrupt-controller") &&
           (c->find("gic") != std::string::npos || c->find("arm,pl390") != std::string::npos);
}

// The INTID a 3-cell GIC specifier means, by the binding: SPI n -> 32 + n, PPI n -> 16 + n.
uint32_t gic_intid(uint32_t type, uint32_t number) {
    return type == 0 ? 32 + number : 16 + number;
}

class DtFacts : public ::testing::TestWithParam<std::string> {};

TEST_P(DtFacts, CpusAreTheCpuNodesInOrder) {
    auto s = scan_fixture(GetParam());
    std::vector<uint64_t> want;
    uint32_t ac = dts_cells_of(s.dts, "/cpus", "#address-cells", 2);
    for (const DtsNode& n : s.dts.nodes) {
        const std::string* type = n.get("device_type");
        if (dts_parent(n.path) != "/cpus" || !type || *type != std::string("cpu", 4))
            continue;
        want.push_back(uint64_t(dts_number(dts_cells(*n.get("reg")), 0, ac)));
    }
    ASSERT_FALSE(want.empty());
    ASSERT_EQ(s.inv.cpus.size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) {
        EXPECT_EQ(s.inv.cpus[i].id, i);
        EXPECT_EQ(s.inv.cpus[i].hw_id, want[i]);
    }
    EXPECT_EQ(s.inv.machine.arch, "arm64"); // every fixture is an AArch64 board
}

TEST_P(DtFacts, MemoryIsEveryMemoryNodeReg) {
    auto s = scan_fixture(GetParam());
    std::vector<std::pair<uint64_t, uint64_t>> want, got;
    for (const DtsNode& n : s.dts.nodes) {
        const std::string* type = n.get("device_type");
        if (dts_parent(n.path) != "/" || !type || *type != std::string("memory", 7))
            continue;
        for (const DtsRegion& r : dts_regs(s.dts, n.path))
            if (r.size)
                want.emplace_back(r.base, r.size);
    }
    for (const auto& m : s.inv.memory)
        got.emplace_back(m.region.base, m.region.size);
    EXPECT_EQ(got, want);
}

TEST_P(DtFacts, GicRegsAreTheGicNodeRegs) {
    auto s = scan_fixture(GetParam());
    ASSERT_TRUE(s.inv.gic);
    const DtsNode* gic = s.dts.node(s.inv.gic->origin.node);
    ASSERT_TRUE(gic && is_gic(*gic));
    auto regs = dts_regs(s.dts, gic->path);
    ASSERT_GE(regs.size(), 2u);
    EXPECT_EQ(s.inv.gic->distributor.base, regs[0].base);
    EXPECT_EQ(s.inv.gic->distributor.size, regs[0].size);
    bool v3 = gic->get("compatible")->find("arm,gic-v3") != std::string::npos;
    EXPECT_EQ(s.inv.gic->type, v3 ? "gicv3" : "gicv2");
    if (v3) {
        ASSERT_EQ(s.inv.gic->redistributors.size(), 1u);
        EXPECT_EQ(s.inv.gic->redistributors[0].base, regs[1].base);
    } else {
        EXPECT_EQ(s.inv.gic->cpu_interface.base, regs[1].base);
    }
    // The maintenance interrupt: the GIC node's own PPI.
    auto cells = dts_cells(*gic->get("interrupts"));
    EXPECT_EQ(s.inv.gic->maintenance_irq, gic_intid(cells[0], cells[1]));
}

TEST_P(DtFacts, ConsolesAreSerialNodes) {
    auto s = scan_fixture(GetParam());
    ASSERT_FALSE(s.inv.consoles.empty());
    size_t chosen = 0;
    for (const auto& c : s.inv.consoles) {
        SCOPED_TRACE(c.path);
        const DtsNode* n = s.dts.node(c.path);
        ASSERT_TRUE(n);
        auto regs = dts_regs(s.dts, c.path);
        ASSERT_FALSE(regs.empty());
        EXPECT_EQ(c.base, regs[0].base);
        auto parent = dts_interrupt_parent(s.dts, c.path);
        ASSERT_TRUE(c.irq);
        ASSERT_TRUE(is_gic(*s.dts.node(parent)));
        auto cells = dts_cells(*n->get("interrupts"));
        EXPECT_EQ(c.irq->id, gic_intid(cells[0], cells[1]));
        chosen += c.chosen;
    }
    // stdout-path names one of them (through an alias on most boards).
    EXPECT_EQ(chosen, 1u);
}

TEST_P(DtFacts, DeviceRegsAndDirectIrqsMatchAPlainReading) {
    auto s = scan_fixture(GetParam());
    ASSERT_FALSE(s.inv.devices.empty());
    size_t checked_irqs = 0;
    for (const auto& d : s.inv.devices) {
        SCOPED_TRACE(d.path);
        const DtsNode* n = s.dts.node(d.path);
        ASSERT_TRUE(n);
        auto want = dts_regs(s.dts, d.path);
        ASSERT_EQ(d.regs.size(), want.size());
        for (size_t i = 0; i < want.size(); ++i) {
            EXPECT_EQ(d.regs[i].base, want[i].base);
            EXPECT_EQ(d.regs[i].size, want[i].size);
        }
        const std::string* ints = n->get("interrupts");
        std::string parent = ints ? dts_interrupt_parent(s.dts, d.path) : "";
        if (parent.empty() || !is_gic(*s.dts.node(parent)))
            continue;
        auto cells = dts_cells(*ints);
        uint32_t per = dts_cells_of(s.dts, parent, "#interrupt-cells", 3);
        ASSERT_EQ(d.irqs.size(), cells.size() / per);
        for (size_t i = 0; i < d.irqs.size(); ++i)
            EXPECT_EQ(d.irqs[i].id, gic_intid(cells[i * per], cells[i * per + 1]));
        ++checked_irqs;
    }
    EXPECT_GT(checked_irqs, 3u);
}

TEST_P(DtFacts, EveryNodeWithRegOrInterruptsIsAccountedFor) {
    auto s = scan_fixture(GetParam());
    std::set<std::string> listed;
    for (const auto& d : s.inv.devices)
        listed.insert(d.path);
    for (const auto& c : s.inv.consoles)
        EXPECT_TRUE(listed.count(c.path)) << c.path << " is a console but not a device";
    for (const auto& m : s.inv.iommus)
        EXPECT_FALSE(listed.count(m.path)) << m.path << " listed twice";
    for (const auto& h : s.inv.pci_hosts)
        EXPECT_FALSE(listed.count(h.path)) << h.path << " listed twice";
}

INSTANTIATE_TEST_SUITE_P(Fixtures, DtFacts, ::testing::ValuesIn(dt_fixtures()),
                         [](const auto& info) {
                             std::string n = info.param;
                             for (char& c : n)
                                 if (!isalnum(static_cast<unsigned char>(c)))
                                     c = '_';
                             return n;
                         });

} // namespace
} // namespace jailconf::testing
