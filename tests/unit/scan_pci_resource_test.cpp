// sysfs `resource` parsing: real lines and malformed ones.
#include <gtest/gtest.h>

#include "scan/pci/sysfs_resource.hpp"
#include "scan_pci_lspci.hpp"

namespace jailconf::test {
namespace {

using scan::pci::parse_sysfs_resource;

TEST(ScanPciResource, RealFile) {
    std::string text = read_text_file(std::string(JAILCONF_FIXTURES) +
                                      "/machines/x86-vm/sys/bus/pci/devices/0000:00:02.0/resource");
    auto lines = parse_sysfs_resource(text, "r");
    ASSERT_TRUE(lines) << lines.error().str();
    ASSERT_EQ(lines->size(), 7u); // 6 BARs and the ROM: an endpoint without SR-IOV
    EXPECT_EQ((*lines)[0].start, 0x4000080000u);
    EXPECT_EQ((*lines)[0].end, 0x40000fffffu);
    EXPECT_EQ((*lines)[0].flags, 0x140204u);
    inventory::PciFunction fn;
    std::vector<scan::pci::ConfigBar> config = {{0, false, true, false, 0x4000080000u}};
    auto bars = scan::pci::bars_from_resource(*lines, config, fn);
    ASSERT_EQ(bars.size(), 1u);
    EXPECT_EQ(bars[0].region.size, 0x80000u);
    EXPECT_TRUE(fn.notes.empty());
}

TEST(ScanPciResource, Malformed) {
    struct Case {
        const char* text;
        uint64_t offset;
    } cases[] = {
        {"0x1 0x2\n", 7},      {"0x1 0x2 0x3 0x4\n", 11},
        {"1 0x2 0x3\n", 0},    {"0x1 0x2 0x\n", 8},
        {"0x1  0x2 0x3\n", 4}, {"0x0 0x0 0x0\n0x12345678901234567 0x0 0x0\n", 12},
    };
    for (const auto& c : cases) {
        auto lines = parse_sysfs_resource(c.text, "r");
        ASSERT_FALSE(lines) << c.text;
        EXPECT_EQ(lines.error().offset, c.offset) << c.text;
    }
}

TEST(ScanPciResource, LineBound) {
    std::string text;
    for (int i = 0; i < 65; ++i)
        text += "0x0 0x0 0x0\n";
    EXPECT_FALSE(parse_sysfs_resource(text, "r"));
}

TEST(ScanPciResource, RomAndUnsetBars) {
    std::vector<scan::pci::SysfsResource> lines(7);
    lines[2] = {0, 0xfff, scan::pci::resource_mem | scan::pci::resource_unset};
    lines[6] = {0xfebc0000, 0xfebfffff, scan::pci::resource_mem};
    inventory::PciFunction fn;
    std::vector<scan::pci::ConfigBar> config = {{2, false, false, false, 0}};
    auto bars = scan::pci::bars_from_resource(lines, config, fn);
    ASSERT_EQ(bars.size(), 2u);
    EXPECT_EQ(bars[0].index, 2);
    EXPECT_EQ(bars[1].index, 6);
    EXPECT_EQ(bars[1].region.size, 0x40000u);
    ASSERT_EQ(fn.notes.size(), 1u);
    EXPECT_EQ(fn.notes[0], "BAR 2 has no address assigned by the kernel");
}

} // namespace
} // namespace jailconf::test
