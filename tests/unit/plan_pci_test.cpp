// PCI functions move with their IOMMU group, on the x86 VM snapshot (virtio functions, no
// IOMMU): by BDF, by class, and never split across cells.
#include <fmt/format.h>

#include "plan_support.hpp"

namespace jailconf {
namespace {

using namespace testing;

std::vector<const inventory::PciFunction*> endpoints(const inventory::Inventory& inv) {
    std::vector<const inventory::PciFunction*> out;
    for (const auto& f : inv.pci)
        if (!f.is_bridge())
            out.push_back(&f);
    return out;
}

bool cell_has_pci(const Cell& c, const inventory::PciFunction& f) {
    for (const auto& d : c.pci_devices)
        if (d.bdf == Bdf{f.segment, f.bus, f.device, f.function})
            return true;
    return false;
}

std::string short_bdf(const inventory::PciFunction& f) {
    return fmt::format("{:02x}:{:02x}.{}", f.bus, f.device, f.function);
}

TEST(PlanPci, AFunctionMovesWithItsBarsByBdf) {
    auto inv = scan_x86_vm();
    auto eps = endpoints(inv);
    ASSERT_GE(eps.size(), 2u);
    const auto& f = *eps.back();
    auto p = plan_text(inv, "format: jailconf/1\ncells:\n  - {name: io, cpus: 1, memory: {size: "
                            "16M}, devices: [{pci: \"" +
                                short_bdf(f) + "\"}]}\n");
    ASSERT_TRUE(p.result) << p.error();
    const System& s = p.result->system;
    expect_passes_check(s, "x86-vm");
    const Cell* io = s.find_cell("io");
    ASSERT_TRUE(io);
    EXPECT_TRUE(cell_has_pci(*io, f));
    EXPECT_FALSE(cell_has_pci(s.cells[0], f));
    for (const auto& b : f.bars)
        if (!b.io && b.index < 6 && b.region.size) {
            EXPECT_FALSE(maps_phys(s.cells[0], b.region.base)) << "BAR " << int(b.index);
        }
    // RAM of a cell with a DMA-capable device is DMA memory.
    bool ram = false;
    for (const auto& m : io->memory)
        if (m.name == "ram") {
            ram = true;
            EXPECT_TRUE(m.flags & mem_dma);
        }
    EXPECT_TRUE(ram);
}

TEST(PlanPci, AnIommuGroupIsKeptTogether) {
    auto inv = scan_x86_vm();
    auto eps = endpoints(inv);
    ASSERT_GE(eps.size(), 3u);
    // Put two functions in one group, as a machine with an IOMMU and no ACS would.
    for (auto& f : inv.pci)
        f.iommu_group = uint32_t(&f - inv.pci.data()) + 100;
    auto* a = const_cast<inventory::PciFunction*>(eps[0]);
    auto* b = const_cast<inventory::PciFunction*>(eps[1]);
    a->iommu_group = 7;
    b->iommu_group = 7;
    auto p = plan_text(inv, "format: jailconf/1\ncells:\n  - {name: io, cpus: 1, memory: {size: "
                            "16M}, devices: [{pci: \"" +
                                short_bdf(*a) + "\"}]}\n");
    ASSERT_TRUE(p.result) << p.error();
    const Cell* io = p.result->system.find_cell("io");
    ASSERT_TRUE(io);
    EXPECT_TRUE(cell_has_pci(*io, *a));
    EXPECT_TRUE(cell_has_pci(*io, *b)); // moved along
    EXPECT_FALSE(cell_has_pci(p.result->system.cells[0], *b));
    EXPECT_FALSE(cell_has_pci(*io, *eps[2]));
    bool why = false;
    for (const auto& pv : p.result->provenance)
        why |= pv.cell == "io" && pv.rule.find("IOMMU group 7") != std::string::npos;
    EXPECT_TRUE(why);
    expect_passes_check(p.result->system, "x86-vm-group");

    // Splitting the group across two cells is refused, at the second selector.
    auto q = plan_text(inv, "format: jailconf/1\ncells:\n  - {name: x, cpus: 1, memory: {size: "
                            "16M}, devices: [{pci: \"" +
                                short_bdf(*a) +
                                "\"}]}\n  - {name: y, cpus: 1, memory: {size: 16M}, devices: "
                                "[{pci: \"" +
                                short_bdf(*b) + "\"}]}\n");
    EXPECT_FALSE(q.result);
    bool split = false; // (the VM has 2 CPUs: y's CPU request fails too, and is reported too)
    for (const auto& d : q.diags.all())
        if (d.message.find("already given to cell x") != std::string::npos) {
            split = true;
            EXPECT_EQ(d.rule, "JC-PLAN-DEVICE");
            EXPECT_EQ(d.loc.line, 4u);
        }
    EXPECT_TRUE(split);
}

TEST(PlanPci, SelectionByClass) {
    auto inv = scan_x86_vm();
    auto eps = endpoints(inv);
    ASSERT_FALSE(eps.empty());
    uint32_t cls = eps.front()->class_code;
    size_t same = 0;
    for (const auto* f : eps)
        same += (f->class_code >> 8) == (cls >> 8);
    auto p = plan_text(inv, fmt::format("format: jailconf/1\ncells:\n  - {{name: io, cpus: 1, "
                                        "memory: {{size: 16M}}, devices: [{{pci_class: {:#06x}, "
                                        "count: 1}}]}}\n",
                                        cls >> 8));
    ASSERT_TRUE(p.result) << p.error();
    const Cell* io = p.result->system.find_cell("io");
    ASSERT_TRUE(io);
    EXPECT_GE(io->pci_devices.size(), 1u);
    EXPECT_LE(io->pci_devices.size(), same);
    expect_passes_check(p.result->system, "x86-vm-class");
}

} // namespace
} // namespace jailconf
