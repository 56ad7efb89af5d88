// hv/core/gic: the distributor and redistributors as cells see them, against a fake physical
// GIC that implements the set/clear register semantics. A cell reaches only its own SPIs and its
// own CPUs' private interrupts; everything else reads 0, is not written, and is reported once.
#include <gtest/gtest.h>

#include <map>
#include <vector>

#include "core/gic/virtual_gic.hpp"

namespace {

using namespace hv::gic;
using hv::cells::CpuSet;
using hv::cells::IrqSet;

// A physical GIC: enable/pending/active as bit arrays with set/clear registers, the rest as
// plain registers. Records every write.
struct FakeGic final : GicHardware {
    uint32_t enabled[32] = {}, pending[32] = {}, active[32] = {};
    std::map<uint32_t, uint32_t> dist;
    std::map<uint32_t, uint64_t> routes;
    std::vector<std::pair<uint32_t, uint64_t>> writes;
    std::map<std::pair<unsigned, uint32_t>, uint32_t> redist_writes;

    uint32_t* bits(uint32_t offset, bool& set) {
        struct R {
            uint32_t base;
            uint32_t* array;
            bool set;
        } regs[] = {{gicd::isenabler, enabled, true}, {gicd::icenabler, enabled, false},
                    {gicd::ispendr, pending, true},   {gicd::icpendr, pending, false},
                    {gicd::isactiver, active, true},  {gicd::icactiver, active, false}};
        for (R& r : regs) {
            if (offset >= r.base && offset < r.base + 0x80) {
                set = r.set;
                return &r.array[(offset - r.base) / 4];
            }
        }
        return nullptr;
    }
    uint32_t dist_read32(uint32_t offset) override {
        bool set = false;
        if (uint32_t* b = bits(offset, set))
            return *b;
        if (offset == gicd::ctlr)
            return gicd::ctlr_are | gicd::ctlr_ds | 3;
        if (offset == gicd::typer)
            return 0x7880f; // whatever the hardware says is passed through
        return dist[offset];
    }
    void dist_write32(uint32_t offset, uint32_t value) override {
        writes.push_back({offset, value});
        bool set = false;
        if (uint32_t* b = bits(offset, set))
            *b = set ? *b | value : *b & ~value;
        else
            dist[offset] = value;
    }
    void dist_write64(uint32_t offset, uint64_t value) override {
        writes.push_back({offset, value});
        routes[(offset - gicd::irouter) / 8] = value;
    }
    uint32_t redist_read32(unsigned frame, uint32_t offset) override {
        return offset == gicr::pidr2 ? 0x3b : frame * 0x1000 + offset;
    }
    uint64_t redist_read64(unsigned frame, uint32_t offset) override {
        // Affinity = frame, processor number = frame, Last on frame 3, and PLPIS set (hidden).
        return offset == gicr::typer
                   ? uint64_t(frame) << 32 | frame << 8 | (frame == 3 ? gicr::typer_last : 0) | 1
                   : 0;
    }
    void redist_write32(unsigned frame, uint32_t offset, uint32_t value) override {
        redist_writes[{frame, offset}] |= value;
    }
};

struct VirtualGicTest : ::testing::Test {
    VirtualGicTest() : vgic(hw) {
        const unsigned cpu_of_frame[] = {0, 1, 2, 3};
        vgic.set_frames(cpu_of_frame, 4);
        for (unsigned i = 0; i < hv::cells::cpu_limit; ++i)
            mpidr[i] = i;
        root_irqs.add(33);
        for (uint32_t i = 35; i <= 40; ++i)
            root_irqs.add(i);
        cell_irqs.add(34);
        root = {0, &root_irqs, cpus({0, 1}), mpidr, 0};
        cell = {1, &cell_irqs, cpus({2, 3}), mpidr, 2};
        // Both turn their distributor's group 1 on, as a guest does at boot (nothing reaches
        // the hardware: no interrupt is enabled yet).
        vgic.dist_write(root, gicd::ctlr, 4, gicd::ctlr_are | gicd::ctlr_enable_grp1);
        vgic.dist_write(cell, gicd::ctlr, 4, gicd::ctlr_are | gicd::ctlr_enable_grp1);
    }
    static CpuSet cpus(std::initializer_list<unsigned> list) {
        CpuSet s;
        for (unsigned c : list)
            s.add(c);
        return s;
    }

    FakeGic hw;
    VirtualGic vgic;
    uint64_t mpidr[hv::cells::cpu_limit] = {};
    IrqSet root_irqs, cell_irqs;
    CellView root, cell;
};

TEST_F(VirtualGicTest, EnableOfAnOwnedSpiIsRoutedToTheCellThenEnabled) {
    // ISENABLER1 covers INTIDs 32-63; the cell owns 34 only.
    const Refusal r = vgic.dist_write(cell, gicd::isenabler + 4, 4, 1u << 2);
    EXPECT_FALSE(r.report);
    EXPECT_EQ(hw.enabled[1], 1u << 2);
    ASSERT_EQ(hw.writes.size(), 2u);
    EXPECT_EQ(hw.writes[0].first, gicd::irouter + 8 * 34); // routed first...
    EXPECT_EQ(hw.writes[0].second, 2u);                    // ...to the cell's first CPU
    EXPECT_EQ(vgic.dist_read(cell, gicd::isenabler + 4, 4), 1u << 2);
    // The root sees none of it, and its own enable of 33 is invisible to the cell.
    EXPECT_EQ(vgic.dist_read(root, gicd::isenabler + 4, 4), 0u);
    vgic.dist_write(root, gicd::isenabler + 4, 4, 1u << 1);
    EXPECT_EQ(vgic.dist_read(cell, gicd::isenabler + 4, 4), 1u << 2);
    EXPECT_EQ(vgic.dist_read(root, gicd::icenabler + 4, 4), 1u << 1);
}

TEST_F(VirtualGicTest, EnableOfAForeignSpiIsRefusedAndReportedOnce) {
    Refusal r = vgic.dist_write(cell, gicd::isenabler + 4, 4, 1u << 1 | 1u << 2); // 33 and 34
    EXPECT_TRUE(r.report);
    EXPECT_EQ(r.intid, 33u);
    EXPECT_STREQ(r.what, "enable");
    EXPECT_EQ(hw.enabled[1], 1u << 2); // only its own went through
    r = vgic.dist_write(cell, gicd::isenabler + 4, 4, 1u << 1);
    EXPECT_FALSE(r.report); // once per cell and interrupt
    EXPECT_EQ(hw.enabled[1], 1u << 2);
    // Disabling, pending and activating another cell's interrupt are refused as well.
    hw.enabled[1] |= 1u << 1;
    r = vgic.dist_write(cell, gicd::icenabler + 4, 4, 1u << 3);
    EXPECT_TRUE(r.report);
    EXPECT_STREQ(r.what, "disable");
    vgic.dist_write(cell, gicd::icenabler + 4, 4, 0xffffffff);
    EXPECT_EQ(hw.enabled[1], 1u << 1); // the root's 33 is still enabled, the cell's 34 is off
    vgic.dist_write(cell, gicd::ispendr + 4, 4, 0xffffffff);
    EXPECT_EQ(hw.pending[1], 1u << 2);
}

TEST_F(VirtualGicTest, ReportsAreBoundedPerCell) {
    unsigned reports = 0;
    for (uint32_t word = 1; word < 32; ++word) {
        for (int i = 0; i < 32; ++i)
            reports += vgic.dist_write(cell, gicd::icenabler + 4 * word, 4, 1u << i).report;
    }
    EXPECT_EQ(reports, report_limit);
    vgic.reset_cell(1);
    EXPECT_TRUE(vgic.dist_write(cell, gicd::isenabler + 4, 4, 1u << 1).report);
}

TEST_F(VirtualGicTest, RoutesMustNameACpuOfTheCell) {
    const uint32_t router34 = gicd::irouter + 8 * 34;
    Refusal r = vgic.dist_write(cell, router34, 8, 0); // CPU 0 is the root's
    EXPECT_TRUE(r.report);
    EXPECT_STREQ(r.what, "route to a CPU outside the cell");
    EXPECT_TRUE(hw.routes.empty());
    r = vgic.dist_write(cell, router34, 8, 3);
    EXPECT_FALSE(r.report);
    EXPECT_EQ(hw.routes[34], 3u);
    EXPECT_EQ(vgic.dist_read(cell, router34, 8), 3u);
    EXPECT_EQ(vgic.dist_read(root, router34, 8), 0u);
    // 1-of-N routing becomes the cell's first CPU.
    vgic.dist_write(cell, router34, 8, gicd::irouter_irm);
    EXPECT_EQ(hw.routes[34], 2u);
    // Routing another cell's interrupt is refused.
    r = vgic.dist_write(cell, gicd::irouter + 8 * 33, 8, 2);
    EXPECT_TRUE(r.report);
    EXPECT_STREQ(r.what, "route");
    EXPECT_EQ(hw.routes.count(33), 0u);
    // 32-bit halves work too.
    vgic.dist_write(cell, router34, 4, 3);
    EXPECT_EQ(hw.routes[34], 3u);
    EXPECT_EQ(vgic.dist_read(cell, router34 + 4, 4), 0u);
}

TEST_F(VirtualGicTest, PrioritiesAreVirtualAndPerInterrupt) {
    // IPRIORITYR8 holds INTIDs 32-35: 33 and 35 are the root's, 34 the cell's.
    Refusal r = vgic.dist_write(cell, gicd::ipriorityr + 32, 4, 0x40302010);
    EXPECT_TRUE(r.report);
    EXPECT_EQ(r.intid, 32u + 0); // 32 belongs to nobody: still not the cell's
    EXPECT_EQ(vgic.spi_priority(34), 0x30);
    EXPECT_EQ(vgic.spi_priority(33), 0);
    EXPECT_EQ(vgic.dist_read(cell, gicd::ipriorityr + 32, 4), 0x00300000u);
    vgic.dist_write(root, gicd::ipriorityr + 33, 1, 0x80);
    EXPECT_EQ(vgic.dist_read(root, gicd::ipriorityr + 33, 1), 0x80u);
    EXPECT_EQ(vgic.dist_read(cell, gicd::ipriorityr + 33, 1), 0u);
    EXPECT_TRUE(hw.writes.empty()); // nothing physical: every cell interrupt has one priority
}

TEST_F(VirtualGicTest, ConfigurationOnlyOfOwnedFields) {
    // ICFGR2 covers 32-47, two bits each; 34 is field 2.
    hw.dist[gicd::icfgr + 8] = 0;
    vgic.dist_write(cell, gicd::icfgr + 8, 4, 0xffffffff);
    EXPECT_EQ(hw.dist[gicd::icfgr + 8], 2u << 4);
    EXPECT_EQ(vgic.dist_read(cell, gicd::icfgr + 8, 4), 2u << 4);
    EXPECT_EQ(vgic.dist_read(root, gicd::icfgr + 8, 4), 0u);
}

TEST_F(VirtualGicTest, IdentificationAndControl) {
    EXPECT_EQ(vgic.dist_read(cell, gicd::typer, 4), 0x7880fu);
    EXPECT_EQ(vgic.dist_read(cell, gicd::ctlr, 4), gicd::ctlr_are | gicd::ctlr_ds | 2);
    vgic.dist_write(cell, gicd::ctlr, 4, 0); // ARE stays (RAO/WI), the group enables go
    EXPECT_EQ(vgic.dist_read(cell, gicd::ctlr, 4), gicd::ctlr_are | gicd::ctlr_ds);
    EXPECT_EQ(vgic.dist_read(root, gicd::ctlr, 4), gicd::ctlr_are | gicd::ctlr_ds | 2);
    vgic.dist_write(cell, gicd::ctlr, 4, 0x3);
    EXPECT_EQ(vgic.dist_read(cell, gicd::ctlr, 4), gicd::ctlr_are | gicd::ctlr_ds | 3);
    EXPECT_TRUE(hw.writes.empty()); // the physical distributor stays enabled
    vgic.reset_cell(1);
    EXPECT_EQ(vgic.dist_read(cell, gicd::ctlr, 4), gicd::ctlr_are | gicd::ctlr_ds);
    // Owned interrupts read as group 1, others as 0; SGIs/PPIs are not the distributor's.
    EXPECT_EQ(vgic.dist_read(cell, gicd::igroupr + 4, 4), 1u << 2);
    EXPECT_EQ(vgic.dist_read(cell, gicd::igroupr, 4), 0u);
}

// GICD_CTLR.EnableGrp1 per cell: off, the cell's enabled SPIs and virtual timer leave the
// physical GIC (their enables kept virtually, pending state untouched) and its SGIs are held;
// on again, everything it enabled comes back. The physical distributor's own control register is
// never written, and the other cell's interrupts are not touched.
TEST_F(VirtualGicTest, Group1OfACellGatesOnlyThatCellsInterrupts) {
    const uint32_t isenabler0 = gicr::sgi_base + gicd::isenabler;
    const uint32_t icenabler0 = gicr::sgi_base + gicd::icenabler;
    vgic.dist_write(root, gicd::isenabler + 4, 4, 1u << 1); // root: 33
    vgic.dist_write(cell, gicd::isenabler + 4, 4, 1u << 2); // cell: 34
    vgic.redist_write(cell, 2, isenabler0, 4, 1u << vtimer_ppi | 1u << 3);
    vgic.dist_write(cell, gicd::ispendr + 4, 4, 1u << 2);
    EXPECT_EQ(hw.enabled[1], 1u << 1 | 1u << 2);
    EXPECT_TRUE(vgic.group1_enabled(1));

    vgic.dist_write(cell, gicd::ctlr, 4, gicd::ctlr_are); // group 1 off
    EXPECT_FALSE(vgic.group1_enabled(1));
    EXPECT_TRUE(vgic.group1_enabled(0));
    EXPECT_EQ(hw.enabled[1], 1u << 1); // the root's 33 stays enabled
    EXPECT_EQ(hw.pending[1], 1u << 2); // 34 stays pending, held back
    EXPECT_EQ((hw.redist_writes[{2u, icenabler0}]), 1u << vtimer_ppi);
    EXPECT_EQ(vgic.dist_read(cell, gicd::isenabler + 4, 4), 1u << 2); // as the cell wrote it
    EXPECT_TRUE(vgic.private_enabled(2, 3));
    // Enabling while off is remembered, not applied; disabling is applied.
    cell_irqs.add(44);
    vgic.dist_write(cell, gicd::isenabler + 4, 4, 1u << 12);
    EXPECT_EQ(hw.enabled[1], 1u << 1);
    EXPECT_EQ(vgic.dist_read(cell, gicd::isenabler + 4, 4), 1u << 2 | 1u << 12);
    vgic.dist_write(cell, gicd::icenabler + 4, 4, 1u << 2);
    EXPECT_EQ(vgic.dist_read(cell, gicd::isenabler + 4, 4), 1u << 12);

    hw.writes.clear();
    hw.redist_writes.clear();
    vgic.dist_write(cell, gicd::ctlr, 4, gicd::ctlr_are | gicd::ctlr_enable_grp1); // on again
    EXPECT_EQ(hw.enabled[1], 1u << 1 | 1u << 12);
    EXPECT_EQ(hw.routes[44], 2u); // routed before it was enabled
    EXPECT_EQ((hw.redist_writes[{2u, isenabler0}]), 1u << vtimer_ppi);
    for (const auto& w : hw.writes)
        EXPECT_NE(w.first, gicd::ctlr);
    // Writing the same value again changes nothing physical.
    hw.writes.clear();
    vgic.dist_write(cell, gicd::ctlr, 4, gicd::ctlr_are | gicd::ctlr_enable_grp1);
    EXPECT_TRUE(hw.writes.empty());
}

TEST_F(VirtualGicTest, LpisAreRefusedAndReportedOncePerCell) {
    Refusal r = vgic.redist_write(cell, 2, gicr::ctlr, 4, gicr::ctlr_enable_lpis);
    EXPECT_TRUE(r.report);
    EXPECT_TRUE(r.unsupported);
    EXPECT_STREQ(r.what, "LPIs");
    EXPECT_FALSE(vgic.redist_write(cell, 3, gicr::propbaser, 8, 0x40000000).report);
    EXPECT_FALSE(vgic.redist_write(cell, 2, gicr::ctlr, 4, 0).report); // not an enable
    EXPECT_TRUE(vgic.redist_write(root, 0, gicr::pendbaser, 8, 0x40000000).report);
    EXPECT_TRUE(hw.redist_writes.empty()); // nothing reaches the redistributors
    vgic.reset_cell(1);
    EXPECT_TRUE(vgic.redist_write(cell, 2, gicr::propbaser, 4, 0x1000).report);
}

TEST_F(VirtualGicTest, ResetOfSpisClearsPhysicalAndVirtualState) {
    vgic.dist_write(cell, gicd::isenabler + 4, 4, 1u << 2);
    vgic.dist_write(cell, gicd::ispendr + 4, 4, 1u << 2);
    vgic.dist_write(cell, gicd::ipriorityr + 34, 1, 0x50);
    vgic.dist_write(cell, gicd::irouter + 8 * 34, 8, 3);
    vgic.reset_spis(cell_irqs);
    EXPECT_EQ(hw.enabled[1], 0u);
    EXPECT_EQ(vgic.dist_read(cell, gicd::isenabler + 4, 4), 0u);
    EXPECT_EQ(hw.pending[1], 0u);
    EXPECT_EQ(vgic.spi_priority(34), 0);
    EXPECT_EQ(vgic.dist_read(cell, gicd::irouter + 8 * 34, 8), 0u);
}

TEST_F(VirtualGicTest, RedistributorsOfTheCellsCpusAreEmulated) {
    const uint32_t isenabler0 = gicr::sgi_base + gicd::isenabler;
    // Frame 2 is CPU 2, the cell's: SGI 1 and the virtual timer.
    EXPECT_FALSE(vgic.redist_write(cell, 2, isenabler0, 4, 1u << 1 | 1u << vtimer_ppi).report);
    EXPECT_TRUE(vgic.private_enabled(2, 1));
    EXPECT_TRUE(vgic.private_enabled(2, vtimer_ppi));
    EXPECT_FALSE(vgic.private_enabled(3, 1));
    EXPECT_EQ(vgic.redist_read(cell, 2, isenabler0, 4), 1u << 1 | 1u << vtimer_ppi);
    // Only the timer PPI reaches the physical redistributor.
    EXPECT_EQ((hw.redist_writes[{2u, isenabler0}]), 1u << vtimer_ppi);
    EXPECT_EQ(hw.redist_writes.size(), 1u);
    // The physical timer PPI (30) stays the hypervisor's.
    const Refusal r = vgic.redist_write(cell, 2, isenabler0, 4, 1u << 30);
    EXPECT_TRUE(r.report);
    EXPECT_EQ(r.intid, 30u);
    EXPECT_FALSE(vgic.private_enabled(2, 30));
    // Priorities per CPU.
    vgic.redist_write(cell, 3, gicr::sgi_base + gicd::ipriorityr + vtimer_ppi, 1, 0x60);
    EXPECT_EQ(vgic.private_priority(3, vtimer_ppi), 0x60);
    EXPECT_EQ(vgic.private_priority(2, vtimer_ppi), 0);
    vgic.reset_cpu(2);
    EXPECT_FALSE(vgic.private_enabled(2, 1));
}

TEST_F(VirtualGicTest, OtherCpusFramesShowOnlyTheirIdentity) {
    // Walkable: the root sees every frame's affinity and Last, never the LPI bits.
    for (unsigned f = 0; f < 4; ++f) {
        const uint64_t typer = vgic.redist_read(root, f, gicr::typer, 8);
        EXPECT_EQ(typer >> 32, f);
        EXPECT_EQ((typer & gicr::typer_last) != 0, f == 3);
        EXPECT_EQ(typer & 1, 0u);
    }
    EXPECT_EQ(vgic.redist_read(root, 2, gicr::pidr2, 4), 0x3bu);
    vgic.redist_write(cell, 2, gicr::sgi_base + gicd::isenabler, 4, 1u << 5);
    EXPECT_EQ(vgic.redist_read(root, 2, gicr::sgi_base + gicd::isenabler, 4), 0u);
    Refusal r = vgic.redist_write(root, 2, gicr::sgi_base + gicd::icenabler, 4, 1u << 5);
    EXPECT_TRUE(r.report);
    EXPECT_TRUE(vgic.private_enabled(2, 5));
    r = vgic.redist_write(root, 3, gicr::sgi_base + gicd::icenabler, 4, 1u << 5);
    EXPECT_FALSE(r.report);                                   // reported once per cell
    EXPECT_EQ(vgic.redist_read(root, 7, gicr::typer, 8), 0u); // no such frame
}

TEST_F(VirtualGicTest, SgisStayInsideTheCell) {
    // Aff0 list {0, 2, 3} (Aff1..3 = 0), INTID 5, sent by CPU 2 of the cell.
    const uint64_t value = uint64_t(5) << 24 | 0b1101;
    SgiTargets t = sgi_targets(value, cell);
    EXPECT_EQ(t.intid, 5u);
    EXPECT_EQ(t.deliver.bits(), 0b1100u);
    EXPECT_EQ(t.dropped.bits(), 0b0001u);
    EXPECT_FALSE(t.unknown_target);
    // IRM: everyone in the cell but the sender.
    t = sgi_targets(uint64_t(1) << 40 | uint64_t(3) << 24, cell);
    EXPECT_EQ(t.deliver.bits(), 0b1000u);
    EXPECT_TRUE(t.dropped.empty());
    // An affinity no CPU has (Aff1 = 1).
    t = sgi_targets(uint64_t(1) << 16 | 1, cell);
    EXPECT_TRUE(t.deliver.empty());
    EXPECT_TRUE(t.unknown_target);
    // Range selector 1: Aff0 16 + bit, which no CPU has either.
    t = sgi_targets(uint64_t(1) << 44 | 0b100, cell);
    EXPECT_TRUE(t.unknown_target);
    EXPECT_TRUE(t.deliver.empty());
}

TEST_F(VirtualGicTest, DroppedSgisAreReportedOncePerCell) {
    EXPECT_TRUE(vgic.refuse_sgi(cell, 5).report);
    EXPECT_FALSE(vgic.refuse_sgi(cell, 5).report);
    EXPECT_TRUE(vgic.refuse_sgi(root, 1).report);
    vgic.reset_cell(1);
    EXPECT_TRUE(vgic.refuse_sgi(cell, 5).report);
}

TEST_F(VirtualGicTest, PendingSgisAreTakenOnce) {
    vgic.post_sgi(3, 5);
    vgic.post_sgi(3, 1);
    vgic.post_sgi(3, 16); // not an SGI
    EXPECT_EQ(vgic.take_sgis(3), 1u << 5 | 1u << 1);
    EXPECT_EQ(vgic.take_sgis(3), 0u);
    vgic.post_sgi(3, 2);
    vgic.reset_cpu(3);
    EXPECT_EQ(vgic.take_sgis(3), 0u);
}

} // namespace

// Link doorbells: virtual SPIs that each peer cell enables, pends and prioritises in its own
// view, with no physical line behind them.
TEST_F(VirtualGicTest, DoorbellsAreVirtualPerCellAndDeliveredOnceEnabled) {
    IrqSet bells;
    bells.add(44);
    vgic.set_doorbells(0, bells);
    vgic.set_doorbells(1, bells);
    const uint32_t bit = 1u << (44 - 32);
    // Rung before the enable: pending, waiting.
    EXPECT_FALSE(vgic.ring_doorbell(1, 44));
    EXPECT_EQ(vgic.dist_read(cell, gicd::ispendr + 4, 4), bit);
    EXPECT_FALSE(vgic.doorbells_ready(1));
    // The cell enables it: no refusal, no physical write, and now it is ready.
    hw.writes.clear();
    const Refusal r = vgic.dist_write(cell, gicd::isenabler + 4, 4, bit);
    EXPECT_FALSE(r.report);
    EXPECT_TRUE(hw.writes.empty());
    EXPECT_EQ(hw.enabled[1], 0u);
    EXPECT_EQ(vgic.dist_read(cell, gicd::isenabler + 4, 4), bit);
    EXPECT_EQ(vgic.dist_read(root, gicd::isenabler + 4, 4), 0u); // the root's view is its own
    EXPECT_TRUE(vgic.doorbells_ready(1));
    // Priority, group, configuration and route as a peer sees them.
    vgic.dist_write(cell, gicd::ipriorityr + 44, 1, 0x80);
    EXPECT_EQ(vgic.doorbell_priority(1, 44), 0x80);
    EXPECT_EQ(vgic.dist_read(cell, gicd::ipriorityr + 44, 1), 0x80u);
    EXPECT_EQ(vgic.doorbell_priority(0, 44), 0);
    EXPECT_EQ(vgic.dist_read(cell, gicd::igroupr + 4, 4), bit | 1u << 2);
    EXPECT_EQ(vgic.dist_read(cell, gicd::irouter + 8 * 44, 8), 2u);           // its first CPU
    EXPECT_FALSE(vgic.dist_write(cell, gicd::irouter + 8 * 44, 8, 3).report); // ignored
    EXPECT_FALSE(vgic.dist_write(cell, gicd::icfgr + 8, 4, 3u << (2 * (44 - 32))).report);
    EXPECT_EQ(vgic.dist_read(cell, gicd::icfgr + 8, 4) >> (2 * (44 - 32)) & 3, 2u); // edge
    uint32_t taken[4];
    ASSERT_EQ(vgic.take_doorbells(1, taken, 4), 1u);
    EXPECT_EQ(taken[0], 44u);
    EXPECT_EQ(vgic.take_doorbells(1, taken, 4), 0u); // taken once
    // Enabled now: a ring says deliver.
    EXPECT_TRUE(vgic.ring_doorbell(1, 44));
    // Disabled again: the next ring waits.
    vgic.dist_write(cell, gicd::icenabler + 4, 4, bit);
    EXPECT_EQ(vgic.take_doorbells(1, taken, 4), 0u);
    // A cell without the doorbell cannot be rung with it, and its own access is refused.
    vgic.set_doorbells(1, IrqSet());
    EXPECT_FALSE(vgic.ring_doorbell(1, 44));
    EXPECT_TRUE(vgic.dist_write(cell, gicd::isenabler + 4, 4, bit).report);
}

TEST_F(VirtualGicTest, ResetCellForgetsDoorbellState) {
    IrqSet bells;
    bells.add(44);
    vgic.set_doorbells(1, bells);
    vgic.dist_write(cell, gicd::isenabler + 4, 4, 1u << 12);
    vgic.ring_doorbell(1, 44);
    vgic.reset_cell(1); // a restart
    EXPECT_EQ(vgic.dist_read(cell, gicd::isenabler + 4, 4), 0u);
    EXPECT_EQ(vgic.dist_read(cell, gicd::ispendr + 4, 4), 0u);
    EXPECT_FALSE(vgic.ring_doorbell(1, 44)); // still a doorbell of the cell, now disabled
}
