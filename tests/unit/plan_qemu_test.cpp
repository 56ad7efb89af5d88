// The planner on QEMU virt (the fixture dump and examples/request.yaml): what each cell gets,
// what the root loses, that the result passes every check, and that it is deterministic.
#include "plan_support.hpp"

namespace jailconf {
namespace {

using namespace testing;

std::string example_request() {
    auto text = read_file(JAILCONF_SOURCE_DIR "/examples/request.yaml");
    EXPECT_TRUE(text.has_value());
    return text ? *text : std::string();
}

TEST(PlanQemu, ExampleRequestGivesEachCellWhatItAskedFor) {
    auto inv = scan_fixture_dtb("qemu-virt-gicv3.dtb");
    auto p = plan_text(inv, example_request());
    ASSERT_TRUE(p.result) << p.error();
    const System& s = p.result->system;
    expect_passes_check(s, "qemu-virt");
    ASSERT_EQ(s.cells.size(), 3u);
    const Cell& root = s.cells[0];
    const Cell* rt = cell_named(s, "rt");
    const Cell* worker = cell_named(s, "worker");
    ASSERT_TRUE(rt && worker);

    // CPUs: highest first, never CPU 0.
    EXPECT_TRUE(has_id(rt->cpus, 3));
    EXPECT_TRUE(has_id(worker->cpus, 2));
    EXPECT_TRUE(has_id(root.cpus, 0) && has_id(root.cpus, 1));
    EXPECT_FALSE(has_id(root.cpus, 2) || has_id(root.cpus, 3));

    // The PL031 moved with its page and its interrupt (INTID 34 on virt).
    const inventory::Device* rtc = nullptr;
    for (const auto& d : inv.devices)
        for (const auto& c : d.compatible)
            if (c == "arm,pl031")
                rtc = &d;
    ASSERT_TRUE(rtc);
    EXPECT_TRUE(maps_phys(*rt, rtc->regs.front().base));
    EXPECT_FALSE(maps_phys(root, rtc->regs.front().base));
    uint32_t rtc_irq = rtc->irqs.front().id;
    EXPECT_TRUE(has_id(rt->irqs, rtc_irq));
    EXPECT_FALSE(has_id(root.irqs, rtc_irq));

    // RAM: 64 MiB, 2 MiB aligned, guest 0x48000000, loadable; a comm page at guest 0x80000000.
    const MemoryRegion* ram = nullptr;
    const MemoryRegion* comm = nullptr;
    for (const auto& m : rt->memory) {
        if (m.name == "ram")
            ram = &m;
        if (m.flags & mem_comm_region)
            comm = &m;
    }
    ASSERT_TRUE(ram && comm);
    EXPECT_EQ(ram->size, 64u << 20);
    EXPECT_EQ(ram->phys.value % (2u << 20), 0u);
    EXPECT_EQ(ram->virt.value, 0x48000000u);
    EXPECT_TRUE(ram->flags & mem_loadable);
    EXPECT_EQ(comm->size, 4096u);
    EXPECT_EQ(comm->virt.value, 0x80000000u);
    EXPECT_FALSE(maps_phys(root, ram->phys.value));
    EXPECT_FALSE(maps_phys(root, comm->phys.value));
    ASSERT_TRUE(rt->watchdog);
    EXPECT_EQ(rt->watchdog->timeout_ms, 100u);

    // Console auto: virt's only UART is the hypervisor's; it stays, and rt gets none.
    EXPECT_FALSE(rt->console);
    ASSERT_TRUE(s.hypervisor.console);
    EXPECT_TRUE(maps_phys(root, s.hypervisor.console->base));
    bool noted = false;
    for (const auto& n : p.result->notes)
        noted |= n.find("cell rt: no free UART") != std::string::npos;
    EXPECT_TRUE(noted);

    // The link: 64 KiB of former root RAM, in no cell, doorbell an SPI no device uses.
    ASSERT_EQ(s.links.size(), 1u);
    const Link& ping = s.links[0];
    EXPECT_EQ(ping.size, 64u * 1024);
    for (const auto& c : s.cells)
        EXPECT_FALSE(maps_phys(c, ping.phys.value)) << c.name;
    ASSERT_TRUE(ping.doorbell_irq);
    EXPECT_GE(*ping.doorbell_irq, 32u);
    for (const auto& d : inv.devices)
        for (const auto& i : d.irqs)
            EXPECT_NE(i.id, *ping.doorbell_irq) << d.path;
    for (const auto& h : inv.pci_hosts)
        for (const auto& r : h.intx_routes)
            EXPECT_NE(r.irq.id, *ping.doorbell_irq);
}

TEST(PlanQemu, SameInputSameBytes) {
    auto inv = scan_fixture_dtb("qemu-virt-gicv3.dtb");
    auto a = plan_text(inv, example_request());
    auto b = plan_text(scan_fixture_dtb("qemu-virt-gicv3.dtb"), example_request());
    ASSERT_TRUE(a.result && b.result);
    auto fa = plan::render_plan(*a.result, "inv.yaml", "req.yaml");
    auto fb = plan::render_plan(*b.result, "inv.yaml", "req.yaml");
    ASSERT_EQ(fa.size(), fb.size());
    ASSERT_EQ(fa.size(), 4u); // system, two cells, provenance
    for (size_t i = 0; i < fa.size(); ++i) {
        EXPECT_EQ(fa[i].path, fb[i].path);
        EXPECT_EQ(fa[i].text, fb[i].text) << fa[i].path;
    }
    EXPECT_EQ(fa[0].path, "system.yaml");
    EXPECT_NE(fa[0].text.find("include: [cells/rt.yaml, cells/worker.yaml]"), std::string::npos);
    EXPECT_EQ(fa[1].path, "cells/rt.yaml");
    EXPECT_EQ(fa[3].path, "provenance.yaml");
}

TEST(PlanQemu, ExplicitPlacementIsHonoured) {
    auto inv = scan_fixture_dtb("qemu-virt-gicv3.dtb");
    auto p = plan_text(inv, R"(format: jailconf/1
hypervisor: {memory: {size: 32M}}
cells:
  - name: a
    cpus: [1-2]
    memory:
      - {name: code, size: 16M, phys: 0x50000000, virt: 0x0}
      - {size: 1M, align: 64K}
    devices: [{path: /pl061@9030000}]
links:
  - {name: l, peers: [a, root], size: 8K, doorbell_irq: 200}
)");
    ASSERT_TRUE(p.result) << p.error();
    const System& s = p.result->system;
    expect_passes_check(s, "explicit");
    EXPECT_EQ(s.hypervisor.memory_size, 32u << 20);
    const Cell* a = cell_named(s, "a");
    ASSERT_TRUE(a);
    EXPECT_TRUE(has_id(a->cpus, 1) && has_id(a->cpus, 2));
    ASSERT_GE(a->memory.size(), 2u);
    bool found_code = false;
    for (const auto& m : a->memory)
        if (m.name == "code") {
            found_code = true;
            EXPECT_EQ(m.phys.value, 0x50000000u);
            EXPECT_EQ(m.virt.value, 0u);
        }
    EXPECT_TRUE(found_code);
    ASSERT_EQ(s.links.size(), 1u);
    EXPECT_EQ(s.links[0].size, 8192u);
    EXPECT_EQ(s.links[0].doorbell_irq, 200u);
}

} // namespace
} // namespace jailconf
