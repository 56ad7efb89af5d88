// pci.ids: lookups in the installed database, and tolerance of lines it does not expect.
#include <gtest/gtest.h>

#include <filesystem>

#include "scan/pci/pci_ids.hpp"

namespace jailconf::test {
namespace {

using scan::pci::PciIds;

TEST(ScanPciIds, InstalledDatabase) {
    const std::string path = "/usr/share/misc/pci.ids";
    if (!std::filesystem::exists(path))
        GTEST_SKIP() << path << " not installed (Debian package pci.ids)";
    PciIds ids = PciIds::load(path);
    ASSERT_FALSE(ids.empty());
    EXPECT_EQ(ids.vendor(0x8086), "Intel Corporation");
    EXPECT_EQ(ids.device(0x1af4, 0x1045), "Virtio 1.0 memory balloon");
    EXPECT_EQ(ids.subsystem(0x8086, 0x100e, 0x1014, 0x0265), "PRO/1000 MT Network Connection");
    EXPECT_EQ(ids.device(0x8086, 0x0d57), ""); // the x86 VM's host bridge: not listed
    EXPECT_EQ(ids.vendor(0x0002), "");
}

TEST(ScanPciIds, MissingFileGivesEmptyNames) {
    PciIds ids = PciIds::load("/nonexistent/pci.ids");
    EXPECT_TRUE(ids.empty());
    EXPECT_EQ(ids.vendor(0x8086), "");
}

TEST(ScanPciIds, ToleratesOddLines) {
    PciIds ids = PciIds::parse("# comment\n"
                               "\t1234  device before any vendor\n"
                               "abcd  Vendor A\n"
                               "\t0001  Device one\n"
                               "\t\t1111 2222  Sub one\n"
                               "\t\tbroken subsystem line\n"
                               "\t0002\n"
                               "zzzz  not hex\n"
                               "abcd  Duplicate vendor\n"
                               "\t\t\t0003  three tabs\n"
                               "C 02  Network controller\n"
                               "\t00  Ethernet controller\n"
                               "beef  after the classes\n");
    EXPECT_EQ(ids.vendor(0xabcd), "Vendor A");
    EXPECT_EQ(ids.device(0xabcd, 0x0001), "Device one");
    EXPECT_EQ(ids.device(0xabcd, 0x0002), "");
    EXPECT_EQ(ids.subsystem(0xabcd, 0x0001, 0x1111, 0x2222), "Sub one");
    EXPECT_EQ(ids.vendor(0xbeef), "");
    EXPECT_EQ(ids.device(0xabcd, 0x0000), "");
}

TEST(ScanPciIds, NoTrailingNewline) {
    PciIds ids = PciIds::parse("1af4  Red Hat, Inc.");
    EXPECT_EQ(ids.vendor(0x1af4), "Red Hat, Inc.");
}

} // namespace
} // namespace jailconf::test
