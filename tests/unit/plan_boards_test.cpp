// The planner on real board device trees (ZynqMP ZCU102, i.MX8MP EVK, Juno r2): a cell with one
// CPU, RAM, a device of the board and `console: auto` passes every check, and the device, its
// interrupts and its pages leave the root cell.
#include "plan_support.hpp"

#include "generate/parts.hpp"

namespace jailconf {
namespace {

using namespace testing;

// A device the root could give away: enabled, with registers and an SPI shared with no other
// device, not the hypervisor's, not a console candidate (console: auto may take those).
const inventory::Device* movable_device(const inventory::Inventory& inv, uint64_t hv_console) {
    for (const auto& d : inv.devices) {
        if (d.status != "okay" || d.regs.empty() || d.irqs.empty() || !d.regs[0].size ||
            generate::hypervisor_owned(inv, d) || d.irqs[0].id < 32)
            continue;
        bool console = false;
        for (const auto& c : inv.consoles)
            console |= c.path == d.path;
        console |= d.regs[0].base == hv_console;
        if (console)
            continue;
        bool shared = false;
        for (const auto& o : inv.devices) {
            if (&o == &d || o.status != "okay")
                continue;
            for (const auto& a : d.regs)
                for (const auto& b : o.regs)
                    shared |= a.size && b.size &&
                              generate::pages_of(a.base, a.size)
                                  .overlaps(generate::pages_of(b.base, b.size));
            for (const auto& a : d.irqs)
                for (const auto& b : o.irqs)
                    shared |= a.id == b.id;
        }
        if (!shared)
            return &d;
    }
    return nullptr;
}

class PlanBoards : public ::testing::TestWithParam<const char*> {};

TEST_P(PlanBoards, ACellWithADevicePassesTheChecks) {
    auto inv = scan_fixture_dtb(GetParam());
    auto root_only = generate_root_system(inv, {});
    ASSERT_TRUE(root_only) << root_only.error().message;
    uint64_t hv_console =
        root_only->system.hypervisor.console ? root_only->system.hypervisor.console->base : 0;
    const inventory::Device* dev = movable_device(inv, hv_console);
    ASSERT_TRUE(dev) << GetParam();
    std::string request = "format: jailconf/1\ncells:\n  - name: rt\n    cpus: 1\n    memory: "
                          "{size: 256M}\n    devices: [{path: \"" +
                          dev->path +
                          "\"}]\n    console: auto\n    watchdog: {timeout_ms: 50}\nlinks:\n  - "
                          "{name: ping, peers: [root, rt], doorbell_irq: auto}\n";
    auto p = plan_text(inv, request);
    ASSERT_TRUE(p.result) << GetParam() << ": " << p.error();
    const System& s = p.result->system;
    expect_passes_check(s, GetParam());
    const Cell& root = s.cells[0];
    const Cell* rt = s.find_cell("rt");
    ASSERT_TRUE(rt);
    EXPECT_TRUE(maps_phys(*rt, dev->regs[0].base));
    EXPECT_FALSE(maps_phys(root, dev->regs[0].base));
    EXPECT_TRUE(has_id(rt->irqs, dev->irqs[0].id));
    EXPECT_FALSE(has_id(root.irqs, dev->irqs[0].id));
    EXPECT_FALSE(has_id(rt->cpus, 0));
    if (rt->console) { // console auto never takes the hypervisor's UART
        EXPECT_NE(rt->console->base, hv_console);
    }
    // The files of the plan are deterministic and the provenance covers every resource of rt.
    auto files = plan::render_plan(*p.result, "inv.yaml", "req.yaml");
    auto again = plan_text(inv, request);
    ASSERT_TRUE(again.result);
    auto files2 = plan::render_plan(*again.result, "inv.yaml", "req.yaml");
    ASSERT_EQ(files.size(), files2.size());
    for (size_t i = 0; i < files.size(); ++i)
        EXPECT_EQ(files[i].text, files2[i].text);
    for (const auto& r : plan::list_resources(s)) {
        bool found = false;
        for (const auto& pv : p.result->provenance)
            found |= pv.cell == r.cell && pv.key == r.key;
        EXPECT_TRUE(found) << GetParam() << ": " << r.cell << " " << r.key;
    }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, PlanBoards,
                         ::testing::Values("zynqmp-zcu102-rev1.0.dtb", "imx8mp-evk.dtb",
                                           "juno-r2.dtb", "qemu-virt-smmuv3-pci.dtb"));

// The ZCU102's UARTs are Cadence ones, which the format cannot describe as a console: `auto`
// leaves the cell without one (and says so), a selector of one is an error at its line.
TEST(PlanBoardsConsole, UartsTheFormatCannotDescribeAreNotConsoles) {
    auto inv = scan_fixture_dtb("zynqmp-zcu102-rev1.0.dtb");
    auto p = plan_text(inv, "format: jailconf/1\ncells:\n  - {name: rt, cpus: 1, memory: {size: "
                            "64M}, console: auto}\n");
    ASSERT_TRUE(p.result) << p.error();
    const Cell* rt = p.result->system.find_cell("rt");
    ASSERT_TRUE(rt);
    EXPECT_FALSE(rt->console);
    bool noted = false;
    for (const auto& n : p.result->notes)
        noted |= n.find("cell rt: no free UART") != std::string::npos;
    EXPECT_TRUE(noted);
    auto q = plan_text(inv, "format: jailconf/1\ncells:\n  - name: rt\n    cpus: 1\n    memory: "
                            "{size: 64M}\n    console: {path: /axi/serial@ff010000}\n");
    EXPECT_FALSE(q.result);
    ASSERT_TRUE(q.first_error());
    EXPECT_EQ(q.first_error()->rule, "JC-PLAN-CONSOLE");
    EXPECT_EQ(q.first_error()->loc.line, 6u);
    EXPECT_NE(q.first_error()->message.find("'cadence'"), std::string::npos)
        << q.first_error()->message;
}

} // namespace
} // namespace jailconf
