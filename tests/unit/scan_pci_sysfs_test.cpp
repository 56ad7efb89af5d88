// scan_pci_sysfs on variations of the x86 VM snapshot: files missing, unreadable, truncated by
// an unprivileged read, links, odd names. The snapshot itself is checked against lspci in
// scan_pci_lspci_test.cpp.
#include <gtest/gtest.h>

#include <filesystem>

#include "scan/scanners.hpp"
#include "scan_pci_lspci.hpp"
#include "scan_pci_memory_files.hpp"

namespace jailconf::test {
namespace {

const std::string fixtures = JAILCONF_FIXTURES;
const std::string root = fixtures + "/machines/x86-vm";
const std::string balloon = "/sys/bus/pci/devices/0000:00:01.0";

// The snapshot's PCI files in memory, so a test can change them.
MemoryFiles snapshot() {
    MemoryFiles files;
    namespace fs = std::filesystem;
    for (const auto& entry : fs::recursive_directory_iterator(root + "/sys/bus/pci/devices")) {
        std::string logical = entry.path().string().substr(root.size());
        if (entry.is_symlink())
            files.links[logical] = fs::read_symlink(entry.path()).string();
        else if (entry.is_regular_file())
            files.files[logical] = read_text_file(entry.path().string());
    }
    return files;
}

bool has_warning(const inventory::Inventory& inv, const std::string& code) {
    return std::any_of(inv.warnings.begin(), inv.warnings.end(),
                       [&](const auto& w) { return w.code == code; });
}

const inventory::PciFunction& function(const inventory::Inventory& inv, uint8_t device) {
    for (const auto& fn : inv.pci)
        if (fn.device == device)
            return fn;
    throw std::runtime_error("no such function");
}

TEST(ScanPciSysfs, SnapshotInMemoryEqualsSnapshotOnDisk) {
    auto on_disk = open_machine_directory(root);
    ASSERT_TRUE(on_disk);
    auto a = scan::scan_pci_sysfs(**on_disk, "");
    auto b = scan::scan_pci_sysfs(snapshot(), "");
    ASSERT_TRUE(a && b);
    EXPECT_EQ(*a, *b);
    EXPECT_EQ(a->pci.size(), 6u);
    EXPECT_EQ(function(*a, 1).origin.file, balloon + "/config");
    EXPECT_EQ(function(*a, 1).driver, "virtio-pci");
    EXPECT_FALSE(function(*a, 0).irq); // sysfs irq 0: no INTx
}

TEST(ScanPciSysfs, UnprivilegedConfigRead) {
    MemoryFiles files = snapshot();
    for (auto& [path, bytes] : files.files)
        if (path.ends_with("/config"))
            bytes.resize(64);
    auto inv = scan::scan_pci_sysfs(files, "");
    ASSERT_TRUE(inv);
    EXPECT_TRUE(has_warning(*inv, "pci-config-truncated"));
    const auto& fn = function(*inv, 1);
    EXPECT_FALSE(fn.msix);
    EXPECT_FALSE(fn.notes.empty());
    EXPECT_EQ(fn.bars.size(), 1u); // BARs still come from `resource`
}

TEST(ScanPciSysfs, MissingResourceFallsBackToConfigBars) {
    MemoryFiles files = snapshot();
    files.files.erase(balloon + "/resource");
    auto inv = scan::scan_pci_sysfs(files, "");
    ASSERT_TRUE(inv);
    const auto& fn = function(*inv, 1);
    ASSERT_EQ(fn.bars.size(), 1u);
    EXPECT_EQ(fn.bars[0].region.base, 0x4000000000u);
    EXPECT_EQ(fn.bars[0].region.size, 0u);
    EXPECT_TRUE(fn.bars[0].is64);
}

TEST(ScanPciSysfs, ResourceTypeDisagreeingWithConfigIsANote) {
    MemoryFiles files = snapshot();
    // BAR 0 as a 32-bit prefetchable BAR in sysfs; config space says 64-bit non-prefetchable.
    files.files[balloon + "/resource"] =
        "0x0000004000000000 0x000000400007ffff 0x0000000000002200\n";
    auto inv = scan::scan_pci_sysfs(files, "");
    ASSERT_TRUE(inv);
    const auto& fn = function(*inv, 1);
    ASSERT_EQ(fn.notes.size(), 1u);
    EXPECT_EQ(fn.notes[0], "BAR 0: sysfs says mem32 prefetchable, config space says mem64");
}

TEST(ScanPciSysfs, MalformedResourceIsAnErrorWithOffset) {
    MemoryFiles files = snapshot();
    files.files[balloon + "/resource"] = "0x0 0x0 0x0\n0x0 0x0\n";
    auto inv = scan::scan_pci_sysfs(files, "");
    ASSERT_FALSE(inv);
    EXPECT_EQ(inv.error().file, balloon + "/resource");
    EXPECT_EQ(inv.error().offset, 19u);
}

TEST(ScanPciSysfs, ShortConfigIsAnError) {
    MemoryFiles files = snapshot();
    files.files[balloon + "/config"].resize(10);
    auto inv = scan::scan_pci_sysfs(files, "");
    ASSERT_FALSE(inv);
    EXPECT_EQ(inv.error().file, balloon + "/config");
    EXPECT_EQ(inv.error().offset, 10u);
}

TEST(ScanPciSysfs, UnreadableConfigSkipsTheFunctionWithAWarning) {
    MemoryFiles files = snapshot();
    files.errors[balloon + "/config"] = ScanError::Kind::unreadable;
    auto inv = scan::scan_pci_sysfs(files, "");
    ASSERT_TRUE(inv);
    EXPECT_EQ(inv->pci.size(), 5u);
    EXPECT_TRUE(has_warning(*inv, "unreadable-file"));
}

TEST(ScanPciSysfs, IommuGroupAndIrq) {
    MemoryFiles files = snapshot();
    files.links[balloon + "/iommu_group"] = "../../../kernel/iommu_groups/7";
    files.files[balloon + "/irq"] = "11\n";
    auto inv = scan::scan_pci_sysfs(files, "");
    ASSERT_TRUE(inv);
    EXPECT_EQ(function(*inv, 1).iommu_group, 7u);
    EXPECT_EQ(function(*inv, 1).irq, 11u);
    EXPECT_FALSE(function(*inv, 2).iommu_group);
}

TEST(ScanPciSysfs, OddIommuGroupLinkIsANote) {
    MemoryFiles files = snapshot();
    files.links[balloon + "/iommu_group"] = "../../../kernel/iommu_groups/x7";
    auto inv = scan::scan_pci_sysfs(files, "");
    ASSERT_TRUE(inv);
    EXPECT_FALSE(function(*inv, 1).iommu_group);
    EXPECT_EQ(function(*inv, 1).notes.size(), 1u);
}

TEST(ScanPciSysfs, NamesThatAreNotBdfsAreSkipped) {
    MemoryFiles files = snapshot();
    files.files["/sys/bus/pci/devices/10000:00:00.0/config"] = files.files[balloon + "/config"];
    files.files["/sys/bus/pci/devices/0000:00:20.0/config"] = files.files[balloon + "/config"];
    auto inv = scan::scan_pci_sysfs(files, "");
    ASSERT_TRUE(inv);
    EXPECT_EQ(inv->pci.size(), 6u);
    EXPECT_EQ(std::count_if(inv->warnings.begin(), inv->warnings.end(),
                            [](const auto& w) { return w.code == "pci-unsupported-name"; }),
              2);
}

TEST(ScanPciSysfs, NoPciAtAll) {
    MemoryFiles files;
    auto inv = scan::scan_pci_sysfs(files, "");
    ASSERT_TRUE(inv);
    EXPECT_TRUE(inv->pci.empty());
    EXPECT_TRUE(inv->warnings.empty());
}

TEST(ScanPciSysfs, SortedByBdf) {
    MemoryFiles files = snapshot();
    files.files["/sys/bus/pci/devices/0001:00:00.0/config"] = files.files[balloon + "/config"];
    auto inv = scan::scan_pci_sysfs(files, "");
    ASSERT_TRUE(inv);
    ASSERT_EQ(inv->pci.size(), 7u);
    EXPECT_EQ(inv->pci.back().segment, 1);
    EXPECT_EQ(inv->pci.front().device, 0);
}

} // namespace
} // namespace jailconf::test
