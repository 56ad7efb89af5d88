// The kernel's directory form (/sys/firmware/devicetree/base) gives the same facts as the blob.
// The directory is written from a fixture and checked with `dtc -I fs` (an independent reader of
// that form) before the scanner reads it through MachineFiles.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "confgen/machine_files.hpp"
#include "scan/dt/fdt_reader.hpp"
#include "scan/dt/sysfs_tree.hpp"
#include "scan/scanners.hpp"
#include "scan_dt_support.hpp"

namespace jailconf::testing {
namespace {

namespace fs = std::filesystem;

void write_node(const scan::dt::Tree& t, uint32_t n, const fs::path& dir) {
    fs::create_directories(dir);
    const auto& node = t.nodes[n];
    for (uint32_t k = 0; k < node.property_count; ++k) {
        const auto& p = t.properties[node.first_property + k];
        std::ofstream(dir / p.name, std::ios::binary) << p.value;
    }
    for (uint32_t c : node.children)
        write_node(t, c, dir / t.nodes[c].name);
}

void clear_origins(inventory::Inventory& inv) {
    for (auto& c : inv.cpus)
        c.origin = {};
    if (inv.psci)
        inv.psci->origin = {};
    for (auto& m : inv.memory)
        m.origin = {};
    for (auto& r : inv.reserved)
        r.origin = {};
    if (inv.gic) {
        inv.gic->origin = {};
        for (auto& i : inv.gic->its)
            i.origin = {};
    }
    for (auto& t : inv.timers)
        t.origin = {};
    for (auto& c : inv.consoles)
        c.origin = {};
    for (auto& h : inv.pci_hosts)
        h.origin = {};
    for (auto& m : inv.iommus)
        m.origin = {};
    for (auto& d : inv.devices)
        d.origin = {};
}

class DtDirectory : public ::testing::TestWithParam<std::string> {};

TEST_P(DtDirectory, SameFactsAsTheBlob) {
    std::string blob = read_binary(fixture_path(GetParam()));
    auto tree = scan::dt::read_fdt(blob, "x");
    ASSERT_TRUE(tree);
    fs::path root = fs::temp_directory_path() /
                    ("jailconf-dt-" + GetParam() + "-" + std::to_string(::getpid()));
    fs::remove_all(root);
    fs::path base = root / "sys/firmware/devicetree/base";
    write_node(*tree, 0, base);

    // dtc reads the directory as the same tree it reads from the blob.
    std::string from_dir = run("dtc -q -I fs -O dts -s " + base.string() + " 2>/dev/null");
    std::string from_blob =
        run("dtc -q -I dtb -O dts -s " + fixture_path(GetParam()) + " 2>/dev/null");
    ASSERT_FALSE(from_dir.empty());
    EXPECT_EQ(from_dir.substr(from_dir.find("/ {")), from_blob.substr(from_blob.find("/ {")));

    auto files = open_machine_directory(root.string());
    ASSERT_TRUE(files) << files.error().str();
    auto dir_inv = scan::scan_device_tree_directory(**files);
    auto blob_inv = scan::scan_device_tree_blob(blob, "x");
    fs::remove_all(root);
    ASSERT_TRUE(dir_inv) << dir_inv.error().str();
    ASSERT_TRUE(blob_inv);
    ASSERT_FALSE(dir_inv->devices.empty());
    EXPECT_EQ(dir_inv->devices.front().origin.file, "/sys/firmware/devicetree/base");
    EXPECT_FALSE(dir_inv->devices.front().origin.offset);

    // /memreserve/ is not exported in the directory form; sibling order is the directory's.
    auto& blob_reserved = blob_inv->reserved;
    std::erase_if(blob_reserved, [](const auto& r) { return r.kind == "memreserve"; });
    clear_origins(*dir_inv);
    clear_origins(*blob_inv);
    auto by_path = [](const auto& a, const auto& b) { return a.path < b.path; };
    std::sort(dir_inv->devices.begin(), dir_inv->devices.end(), by_path);
    std::sort(blob_inv->devices.begin(), blob_inv->devices.end(), by_path);
    std::sort(dir_inv->consoles.begin(), dir_inv->consoles.end(), by_path);
    std::sort(blob_inv->consoles.begin(), blob_inv->consoles.end(), by_path);
    EXPECT_EQ(dir_inv->cpus, blob_inv->cpus);
    EXPECT_EQ(dir_inv->memory, blob_inv->memory);
    EXPECT_EQ(dir_inv->reserved, blob_inv->reserved);
    EXPECT_EQ(dir_inv->gic, blob_inv->gic);
    EXPECT_EQ(dir_inv->timers, blob_inv->timers);
    EXPECT_EQ(dir_inv->consoles, blob_inv->consoles);
    EXPECT_EQ(dir_inv->pci_hosts, blob_inv->pci_hosts);
    EXPECT_EQ(dir_inv->iommus.size(), blob_inv->iommus.size());
    ASSERT_EQ(dir_inv->devices.size(), blob_inv->devices.size());
    for (size_t i = 0; i < dir_inv->devices.size(); ++i)
        EXPECT_EQ(dir_inv->devices[i], blob_inv->devices[i]) << blob_inv->devices[i].path;
    EXPECT_EQ(dir_inv->machine, blob_inv->machine);
}

// A sample of the fixtures (the directory form is slow to write and read under sanitizers): one
// per translation and interrupt style.
INSTANTIATE_TEST_SUITE_P(Fixtures, DtDirectory,
                         ::testing::Values("qemu-virt-smmuv3-pci", "bcm2711-rpi-4-b", "imx8mp-evk",
                                           "juno-r2"),
                         [](const auto& info) {
                             std::string n = info.param;
                             for (char& c : n)
                                 if (!isalnum(static_cast<unsigned char>(c)))
                                     c = '_';
                             return n;
                         });

TEST(DtDirectory, NaturalSiblingOrder) {
    using scan::dt::natural_node_less;
    EXPECT_TRUE(natural_node_less("cpu@2", "cpu@10"));
    EXPECT_TRUE(natural_node_less("cpu@100", "cpu@101"));
    EXPECT_FALSE(natural_node_less("cpu@10", "cpu@2"));
    EXPECT_TRUE(natural_node_less("cpu-map", "cpu@0") || natural_node_less("cpu@0", "cpu-map"));
}

TEST(DtDirectory, MissingDirectoryIsNotFound) {
    auto files = open_machine_directory(fs::temp_directory_path().string());
    ASSERT_TRUE(files);
    auto r = scan::scan_device_tree_directory(**files, "/sys/firmware/devicetree/base");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ScanError::Kind::not_found);
}

} // namespace
} // namespace jailconf::testing
