// Console reachability and architecture applicability.
#include <gtest/gtest.h>

#include "check_builder.hpp"

namespace jailconf::test {
namespace {

TEST(CheckConsole, MmioConsoleMustBeInsideOneGuestRange) {
    System s = base_system();
    s.cells[1].console = Console{ConsoleType::pl011, 0x09000000, 0x1000, next_loc()};
    Diagnostics d = run_check(s);
    auto r = of_rule(d, "JC-CONSOLE-UNMAPPED");
    ASSERT_EQ(r.size(), 1u) << dump(d);
    EXPECT_EQ(r[0]->loc.line, s.cells[1].console->loc.line);
    EXPECT_NE(r[0]->fix.find("virt: 0x9000000"), std::string::npos) << r[0]->fix;

    s.cells[1].memory.push_back(region("uart1", 0x09040000, 0x1000, rw | mem_io, 0x09000000));
    d = run_check(s);
    EXPECT_TRUE(d.empty()) << dump(d);
}

TEST(CheckConsole, PartialCoverIsNotEnough) {
    System s = base_system();
    s.cells[0].console->base = 0x09000800; // [0x9000800-0x90017ff], region ends at 0x9000fff
    Diagnostics d = run_check(s);
    auto r = of_rule(d, "JC-CONSOLE-UNMAPPED");
    ASSERT_EQ(r.size(), 1u) << dump(d);
    ASSERT_EQ(r[0]->related.size(), 1u);
    EXPECT_EQ(r[0]->related[0].loc.line, s.cells[0].memory[1].loc.line);
}

TEST(CheckConsole, PortIoConsoleOnX86) {
    System s = base_system();
    s.arch = Arch::x86_64;
    s.platform.irqchip.reset();
    s.cells[0].console = Console{ConsoleType::ns16550_pio, 0x3f8, 8, next_loc()};
    s.cells[0].pio = {{0x3f8, 4, next_loc()}};
    Diagnostics d = run_check(s);
    EXPECT_EQ(count(d, "JC-CONSOLE-UNMAPPED"), 1u) << dump(d);
    s.cells[0].pio = {{0x3f0, 16, next_loc()}};
    d = run_check(s);
    EXPECT_TRUE(d.empty()) << dump(d);
}

TEST(CheckArch, GicOnX86AndApicFieldsOnArm) {
    System s = base_system();
    s.arch = Arch::x86_64;
    s.cells[0].console.reset();
    Diagnostics d = run_check(s);
    EXPECT_EQ(count(d, "JC-ARCH-FIELD"), 1u) << dump(d);

    s = base_system();
    s.platform.irqchip->ioapic = 0xfec00000;
    s.platform.irqchip->gicc = 0x08010000;
    d = run_check(s);
    EXPECT_EQ(count(d, "JC-ARCH-FIELD"), 2u) << dump(d);

    s.platform.irqchip->type = IrqChipType::gicv2; // now gicc fits, gicr/gicr_stride do not
    d = run_check(s);
    EXPECT_EQ(count(d, "JC-ARCH-FIELD"), 3u) << dump(d);

    s.platform.irqchip->type = IrqChipType::apic; // on arm64, and every gic* field is wrong
    d = run_check(s);
    EXPECT_EQ(count(d, "JC-ARCH-FIELD"), 1u + 4u) << dump(d);
}

TEST(CheckArch, IommusConsolesPioAndStreamIds) {
    System s = base_system();
    s.platform.iommus = {{IommuType::smmuv3, 0x09050000, 0x20000, next_loc()},
                         {IommuType::vtd, 0xfed90000, 0x1000, next_loc()}};
    s.hypervisor.console = Console{ConsoleType::ns16550_pio, 0x3f8, 8, next_loc()};
    s.cells[1].pio = {{0x60, 1, next_loc()}, {0x64, 1, next_loc()}};
    s.cells[1].console = Console{ConsoleType::ns16550_pio, 0x60, 1, next_loc()};
    s.cells[1].stream_ids = {{0x100, next_loc()}};
    Diagnostics d = run_check(s);
    // vtd, hypervisor console, rt console, rt pio (once for the list); stream ids fit arm64.
    EXPECT_EQ(count(d, "JC-ARCH-FIELD"), 4u) << dump(d);
    EXPECT_EQ(count(d, "JC-CONSOLE-UNMAPPED"), 0u) << dump(d);

    s.arch = Arch::x86_64;
    s.platform.irqchip.reset();
    s.cells[0].console.reset();
    s.hypervisor.console = Console{ConsoleType::pl011, 0x09000000, 0x1000, next_loc()};
    d = run_check(s);
    // smmuv3, hypervisor pl011, rt stream ids.
    EXPECT_EQ(count(d, "JC-ARCH-FIELD"), 3u) << dump(d);
}

} // namespace
} // namespace jailconf::test
