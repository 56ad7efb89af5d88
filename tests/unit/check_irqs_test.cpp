// Interrupt checks: assignable ranges per interrupt controller, doorbells, ownership.
#include <gtest/gtest.h>

#include "check_builder.hpp"

namespace jailconf::test {
namespace {

System x86_system() {
    System s = base_system();
    s.arch = Arch::x86_64;
    IrqChip apic;
    apic.type = IrqChipType::apic;
    apic.ioapic = 0xfec00000;
    apic.loc = next_loc();
    s.platform.irqchip = apic;
    s.cells[0].console.reset();
    return s;
}

TEST(CheckIrqs, GicSgisPpisAndSpecialIdsAreNotAssignable) {
    System s = base_system();
    s.cells[1].irqs = {ids(30, 33), id(1020), id(1019), id(32)};
    Diagnostics d = run_check(s);
    auto r = of_rule(d, "JC-IRQ-RANGE");
    ASSERT_EQ(r.size(), 2u) << dump(d);
    EXPECT_EQ(r[0]->loc.line, s.cells[1].irqs[0].loc.line);
    EXPECT_NE(r[0]->message.find("interrupts 30-31 of cell 'rt'"), std::string::npos)
        << r[0]->message;
    EXPECT_NE(r[0]->fix.find("INTID 62-63"), std::string::npos) << r[0]->fix;
    EXPECT_EQ(r[1]->loc.line, s.cells[1].irqs[1].loc.line);
    // 33 is root's: also a duplicate, reported once.
    EXPECT_EQ(count(d, "JC-IRQ-DUP"), 1u) << dump(d);
}

TEST(CheckIrqs, Arm32UsesGicRules) {
    System s = base_system();
    s.arch = Arch::arm32;
    s.cells[1].irqs = {id(5)};
    EXPECT_EQ(count(run_check(s), "JC-IRQ-RANGE"), 1u);
}

TEST(CheckIrqs, X86AllowsZeroTo255) {
    System s = x86_system();
    s.links[0].doorbell_irq = 200;
    s.cells[1].irqs = {ids(0, 10), ids(250, 256)};
    Diagnostics d = run_check(s);
    auto r = of_rule(d, "JC-IRQ-RANGE");
    ASSERT_EQ(r.size(), 1u) << dump(d);
    EXPECT_NE(r[0]->message.find("interrupt 256 "), std::string::npos) << r[0]->message;
}

TEST(CheckIrqs, DoorbellIsRangeChecked) {
    System s = base_system();
    s.links[0].doorbell_irq = 20;
    Diagnostics d = run_check(s);
    auto r = of_rule(d, "JC-IRQ-RANGE");
    ASSERT_EQ(r.size(), 1u) << dump(d);
    EXPECT_EQ(r[0]->loc.line, s.links[0].loc.line);
    EXPECT_NE(r[0]->message.find("link 'ping'"), std::string::npos);
}

TEST(CheckIrqs, InterruptInTwoCellsNamesBothAndTheOverlap) {
    System s = base_system();
    s.cells[1].irqs = {ids(36, 40)};
    Diagnostics d = run_check(s);
    auto r = of_rule(d, "JC-IRQ-DUP");
    ASSERT_EQ(r.size(), 1u) << dump(d);
    EXPECT_EQ(r[0]->message, "interrupts 36-38 of cell 'rt' are also assigned to cell 'root'");
    EXPECT_EQ(r[0]->related[0].loc.line, s.cells[0].irqs[1].loc.line);
}

TEST(CheckIrqs, RepeatedInterruptWithinOneCellIsHarmless) {
    System s = base_system();
    s.cells[0].irqs.push_back(ids(36, 37));
    Diagnostics d = run_check(s);
    EXPECT_TRUE(d.empty()) << dump(d);
}

} // namespace
} // namespace jailconf::test
