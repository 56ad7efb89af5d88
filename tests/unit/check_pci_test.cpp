// PCI checks: BAR slots and sizes, MSI-X placement, duplicate functions; stream ids.
#include <gtest/gtest.h>

#include "check_builder.hpp"

namespace jailconf::test {
namespace {

PciBar bar(uint8_t index, BarType type, uint64_t size) {
    return PciBar{index, type, 0x10000000 + index * 0x100000ull, size, false, next_loc()};
}

PciDevice device(uint8_t dev_no, std::vector<PciBar> bars = {}) {
    PciDevice d;
    d.bdf = Bdf{0, 0, dev_no, 0};
    d.bars = std::move(bars);
    d.loc = next_loc();
    return d;
}

System with_device(PciDevice dev) {
    System s = base_system();
    s.cells[1].pci_devices.push_back(std::move(dev));
    return s;
}

TEST(CheckPci, ValidDeviceIsClean) {
    PciDevice dev = device(2, {bar(0, BarType::mem64, 0x4000), bar(2, BarType::mem32, 0x1000),
                               bar(3, BarType::io, 0x20)});
    dev.msix = PciMsix{64, 0, 0x2000, 0, 0x3000, next_loc()};
    Diagnostics d = run_check(with_device(dev));
    EXPECT_TRUE(d.empty()) << dump(d);
}

TEST(CheckPci, BarIndexSlotsAndSizes) {
    PciDevice dev = device(2, {bar(6, BarType::mem32, 0x1000), bar(5, BarType::mem64, 0x1000),
                               bar(0, BarType::mem64, 0x1000), bar(1, BarType::mem32, 0x1000),
                               bar(2, BarType::mem32, 0x3000), bar(3, BarType::mem32, 0)});
    Diagnostics d = run_check(with_device(dev));
    auto r = of_rule(d, "JC-PCI-BAR");
    ASSERT_EQ(r.size(), 5u) << dump(d);
    EXPECT_NE(r[0]->message.find("index out of range"), std::string::npos);
    EXPECT_NE(r[1]->message.find("no slot 6"), std::string::npos);
    EXPECT_NE(r[2]->message.find("upper half of a 64-bit BAR"), std::string::npos);
    EXPECT_NE(r[3]->message.find("not a power of two"), std::string::npos);
    EXPECT_NE(r[3]->fix.find("0x4000"), std::string::npos);
    EXPECT_NE(r[4]->message.find("is zero"), std::string::npos);
}

TEST(CheckPci, Mem64WhoseUpperSlotIsTaken) {
    PciDevice dev = device(2, {bar(3, BarType::mem32, 0x1000), bar(2, BarType::mem64, 0x1000)});
    Diagnostics d = run_check(with_device(dev));
    auto r = of_rule(d, "JC-PCI-BAR");
    ASSERT_EQ(r.size(), 1u) << dump(d);
    EXPECT_EQ(r[0]->loc.line, dev.bars[1].loc.line);
}

TEST(CheckPci, MsixTableAndPbaMustFitAMemoryBar) {
    PciDevice dev = device(2, {bar(0, BarType::mem32, 0x1000), bar(1, BarType::io, 0x100)});
    dev.msix = PciMsix{65, 0, 0x0, 0, 0xff8, next_loc()}; // table fits (0x410), PBA needs 16 bytes
    Diagnostics d = run_check(with_device(dev));
    auto r = of_rule(d, "JC-PCI-MSIX");
    ASSERT_EQ(r.size(), 1u) << dump(d);
    EXPECT_NE(r[0]->message.find("PBA"), std::string::npos);
    EXPECT_NE(r[0]->fix.find("0xff0"), std::string::npos) << r[0]->fix;

    dev.msix = PciMsix{8, 1, 0, 4, 0, next_loc()}; // I/O BAR, missing BAR
    d = run_check(with_device(dev));
    r = of_rule(d, "JC-PCI-MSIX");
    ASSERT_EQ(r.size(), 2u) << dump(d);
    EXPECT_NE(r[0]->message.find("an I/O BAR"), std::string::npos);
    EXPECT_NE(r[1]->message.find("does not declare"), std::string::npos);

    dev.msix = PciMsix{257, 0, 0, 0, 0xe00, next_loc()}; // table (0x1010 bytes) > BAR
    d = run_check(with_device(dev));
    r = of_rule(d, "JC-PCI-MSIX");
    ASSERT_EQ(r.size(), 1u) << dump(d);
    EXPECT_NE(r[0]->fix.find("cannot hold"), std::string::npos);
}

TEST(CheckPci, SameFunctionTwice) {
    System s = with_device(device(2));
    s.cells[0].pci_devices.push_back(device(2));
    s.cells[1].pci_devices.push_back(device(3));
    s.cells[1].pci_devices.push_back(device(3));
    s.cells[1].pci_devices.push_back(device(2)); // same BDF on segment 1 is another function
    s.cells[1].pci_devices.back().bdf.segment = 1;
    Diagnostics d = run_check(s);
    auto r = of_rule(d, "JC-PCI-DUP");
    ASSERT_EQ(r.size(), 2u) << dump(d);
    EXPECT_EQ(r[0]->message, "PCI device 00:02.0 of cell 'rt' is also assigned to cell 'root'");
    EXPECT_EQ(r[1]->message, "PCI device 00:03.0 is listed twice in cell 'rt'");
}

TEST(CheckStreamIds, OwnedTwiceAcrossAndWithinCells) {
    System s = base_system();
    s.cells[0].stream_ids = {{0x100, next_loc()}, {0x101, next_loc()}};
    s.cells[1].stream_ids = {{0x100, next_loc()}, {0x102, next_loc()}, {0x102, next_loc()}};
    Diagnostics d = run_check(s);
    auto r = of_rule(d, "JC-SID-DUP");
    ASSERT_EQ(r.size(), 2u) << dump(d);
    EXPECT_EQ(r[0]->message, "stream id 0x100 of cell 'rt' is also assigned to cell 'root'");
    EXPECT_EQ(r[1]->message, "stream id 0x102 is listed twice in cell 'rt'");
}

} // namespace
} // namespace jailconf::test
