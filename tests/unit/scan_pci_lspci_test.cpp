// The PCI scanner against pciutils: the x86 VM snapshot scanned through sysfs, and real
// machines' config-space dumps from the pciutils test suite, each compared with what lspci
// 3.9.0 printed for the same bytes (commands in the fixture READMEs).
#include <gtest/gtest.h>

#include <filesystem>
#include <fmt/format.h>

#include "confgen/machine_files.hpp"
#include "scan/pci/config_space.hpp"
#include "scan/scanners.hpp"
#include "scan_pci_lspci.hpp"
#include "scan_pci_memory_files.hpp"

namespace jailconf::test {
namespace {

using inventory::PciFunction;

const std::string fixtures = JAILCONF_FIXTURES;
const std::string pci_ids = "/usr/share/misc/pci.ids";

std::string bdf_of(const PciFunction& fn) {
    return fmt::format("{:04x}:{:02x}:{:02x}.{:x}", fn.segment, fn.bus, fn.device, fn.function);
}

std::string pcie_type_of(const std::string& lspci) {
    static const std::map<std::string, std::string> names = {
        {"Endpoint", "endpoint"},
        {"Legacy Endpoint", "legacy-endpoint"},
        {"Root Port", "root-port"},
        {"Upstream Port", "upstream"},
        {"Downstream Port", "downstream"},
        {"PCI-Express to PCI/PCI-X Bridge", "pcie-to-pci-bridge"},
        {"PCI/PCI-X to PCI-Express Bridge", "pci-to-pcie-bridge"},
        {"Root Complex Integrated Endpoint", "rc-endpoint"},
        {"Root Complex Event Collector", "rc-event-collector"},
    };
    auto it = names.find(lspci);
    return it == names.end() ? "?" + lspci : it->second;
}

// Everything config space decides, ours against lspci's.
void expect_config_matches(const LspciFunction& want, const PciFunction& got) {
    SCOPED_TRACE(want.bdf);
    EXPECT_EQ(got.vendor_id, want.vendor);
    EXPECT_EQ(got.device_id, want.device);
    EXPECT_EQ(got.class_code >> 8, want.class_id);
    EXPECT_EQ(got.class_code & 0xff, want.prog_if);
    EXPECT_EQ(got.revision, want.revision);
    if (want.subsystem) {
        EXPECT_EQ(got.subsystem_vendor_id, want.subsystem->first);
        EXPECT_EQ(got.subsystem_id, want.subsystem->second);
    }
    // lspci prints the pin only when an irq or pin is set; a zero pin prints nothing.
    if (want.pin) {
        EXPECT_EQ(got.intx_pin, want.pin);
    }
    if (want.secondary_subordinate) {
        EXPECT_EQ(got.secondary_bus, want.secondary_subordinate->first);
        EXPECT_EQ(got.subordinate_bus, want.secondary_subordinate->second);
    }
    ASSERT_EQ(got.capabilities.size(), want.capabilities.size());
    size_t named = 0;
    for (size_t i = 0; i < want.capabilities.size(); ++i) {
        const auto& w = want.capabilities[i];
        const auto& g = got.capabilities[i];
        SCOPED_TRACE(w.text);
        EXPECT_EQ(g.offset, w.offset);
        EXPECT_EQ(g.extended, w.extended);
        auto ids = lspci_capability_ids(w);
        if (!ids.empty()) {
            ++named;
            EXPECT_NE(std::find(ids.begin(), ids.end(), g.id), ids.end()) << "id " << g.id;
        }
    }
    // The wording table must cover the lists it is used on, or the id check proves little.
    EXPECT_GE(named * 10, want.capabilities.size() * 9);
    EXPECT_EQ(got.msi.has_value(), want.msi_vectors.has_value());
    if (got.msi && want.msi_vectors) {
        EXPECT_EQ(got.msi->vectors, *want.msi_vectors);
        EXPECT_EQ(got.msi->is64, *want.msi_64);
        EXPECT_EQ(got.msi->per_vector_mask, *want.msi_maskable);
    }
    EXPECT_EQ(got.msix.has_value(), want.msix_count.has_value());
    if (got.msix && want.msix_count) {
        EXPECT_EQ(got.msix->table_size, *want.msix_count);
        ASSERT_TRUE(want.msix_table && want.msix_pba);
        EXPECT_EQ(got.msix->table_bar, want.msix_table->first);
        EXPECT_EQ(got.msix->table_offset, want.msix_table->second);
        EXPECT_EQ(got.msix->pba_bar, want.msix_pba->first);
        EXPECT_EQ(got.msix->pba_offset, want.msix_pba->second);
    }
    EXPECT_EQ(got.pcie_type, want.express_type.empty() ? "" : pcie_type_of(want.express_type));
    EXPECT_EQ(got.acs.has_value(), want.acs_cap.has_value());
    if (got.acs && want.acs_cap && want.acs_ctl) {
        EXPECT_EQ(got.acs->capabilities & 0x7f, *want.acs_cap);
        EXPECT_EQ(got.acs->control & 0x7f, *want.acs_ctl);
    }
}

TEST(ScanPciLspci, X86VmSnapshotMatchesLspci) {
    auto files = open_machine_directory(fixtures + "/machines/x86-vm");
    ASSERT_TRUE(files) << files.error().str();
    auto inv = scan::scan_pci_sysfs(**files, pci_ids);
    ASSERT_TRUE(inv) << inv.error().str();
    auto want =
        parse_lspci_vvv(read_text_file(fixtures + "/machines/x86-vm-lspci/lspci-vvv-nn.txt"));
    ASSERT_EQ(want.size(), 6u);
    ASSERT_EQ(inv->pci.size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) {
        const PciFunction& got = inv->pci[i];
        ASSERT_EQ(bdf_of(got), want[i].bdf);
        expect_config_matches(want[i], got);
        EXPECT_EQ(got.driver, want[i].driver);
        // BARs: addresses and sizes as the kernel assigned them (lspci reads sysfs too, but
        // decodes the flags and sizes on its own).
        ASSERT_EQ(got.bars.size(), want[i].regions.size());
        for (size_t b = 0; b < got.bars.size(); ++b) {
            const auto& r = want[i].regions[b];
            EXPECT_EQ(got.bars[b].index, r.index);
            EXPECT_EQ(got.bars[b].region.base, r.address);
            ASSERT_TRUE(r.size);
            EXPECT_EQ(got.bars[b].region.size, *r.size);
            EXPECT_EQ(got.bars[b].io, r.io);
            EXPECT_EQ(got.bars[b].is64, r.is64);
            EXPECT_EQ(got.bars[b].prefetchable, r.prefetchable);
        }
        EXPECT_TRUE(got.notes.empty()) << got.notes.front();
        EXPECT_EQ(got.parent, "");
    }
    EXPECT_TRUE(inv->warnings.empty());
}

TEST(ScanPciLspci, X86VmNamesMatchLspciMachineReadable) {
    if (!std::filesystem::exists(pci_ids))
        GTEST_SKIP() << pci_ids << " not installed (Debian package pci.ids)";
    auto files = open_machine_directory(fixtures + "/machines/x86-vm");
    ASSERT_TRUE(files);
    auto inv = scan::scan_pci_sysfs(**files, pci_ids);
    ASSERT_TRUE(inv);
    auto want = parse_lspci_mm(read_text_file(fixtures + "/machines/x86-vm-lspci/lspci-mm-nn.txt"));
    ASSERT_EQ(want.size(), inv->pci.size());
    for (const auto& fn : inv->pci) {
        SCOPED_TRACE(bdf_of(fn));
        ASSERT_TRUE(want.count(bdf_of(fn)));
        EXPECT_EQ(fn.vendor_name, want[bdf_of(fn)].vendor);
        EXPECT_EQ(fn.device_name, want[bdf_of(fn)].device);
    }
}

TEST(ScanPciLspci, MissingPciIdsLeavesNamesEmpty) {
    auto files = open_machine_directory(fixtures + "/machines/x86-vm");
    ASSERT_TRUE(files);
    auto inv = scan::scan_pci_sysfs(**files, "/nonexistent/pci.ids");
    ASSERT_TRUE(inv);
    for (const auto& fn : inv->pci) {
        EXPECT_EQ(fn.vendor_name, "");
        EXPECT_EQ(fn.device_name, "");
    }
}

// Real machines from the pciutils test suite: bridges, switches, root ports with ACS, MSI with
// several vectors and masking, MSI-X in BAR 3, a CardBus bridge, a broken extended list.
class PciutilsDump : public testing::TestWithParam<std::string> {};

std::string dump_dir(const std::string& name) {
    return fixtures + "/pci/pciutils/" + name;
}

TEST_P(PciutilsDump, ConfigSpaceMatchesLspci) {
    auto want = parse_lspci_vvv(read_text_file(dump_dir(GetParam()) + ".lspci-vvv-nn.txt"));
    ASSERT_FALSE(want.empty());
    for (const auto& w : want) {
        std::string path = dump_dir(GetParam()) + "/" + w.bdf + ".config";
        auto parsed = scan::pci::parse_config_space(read_text_file(path), path);
        ASSERT_TRUE(parsed) << parsed.error().str();
        expect_config_matches(w, parsed->function);
        // lspci -F has no sysfs: its regions are the BAR registers.
        for (const auto& r : w.regions) {
            SCOPED_TRACE(fmt::format("{} region {}", w.bdf, r.index));
            auto it = std::find_if(parsed->bars.begin(), parsed->bars.end(),
                                   [&](const auto& b) { return b.index == r.index; });
            ASSERT_NE(it, parsed->bars.end());
            EXPECT_EQ(it->address, r.address);
            EXPECT_EQ(it->io, r.io);
            if (!r.io) {
                EXPECT_EQ(it->is64, r.is64);
                EXPECT_EQ(it->prefetchable, r.prefetchable);
            }
        }
        EXPECT_EQ(w.chain_broken,
                  !parsed->function.notes.empty() && parsed->function.header_type != 2);
    }
}

// The same dumps laid out as a sysfs tree: the scanner's parents against lspci's bus numbers.
TEST_P(PciutilsDump, ParentsFollowLspciBusNumbers) {
    auto want = parse_lspci_vvv(read_text_file(dump_dir(GetParam()) + ".lspci-vvv-nn.txt"));
    MemoryFiles files;
    for (const auto& w : want)
        files.files["/sys/bus/pci/devices/" + w.bdf + "/config"] =
            read_text_file(dump_dir(GetParam()) + "/" + w.bdf + ".config");
    auto inv = scan::scan_pci_sysfs(files, "");
    ASSERT_TRUE(inv) << inv.error().str();
    ASSERT_EQ(inv->pci.size(), want.size());
    for (const auto& fn : inv->pci) {
        SCOPED_TRACE(bdf_of(fn));
        std::string expected;
        for (const auto& w : want)
            if (w.secondary_subordinate && w.secondary_subordinate->first == fn.bus &&
                w.bdf.substr(0, 4) == bdf_of(fn).substr(0, 4) && fn.bus != 0)
                expected = w.bdf;
        EXPECT_EQ(fn.parent, expected);
    }
}

INSTANTIATE_TEST_SUITE_P(Machines, PciutilsDump,
                         testing::Values("tree-asus-p6t6", "tree-fujitsu-p8010", "cap-pcie-2",
                                         "broken-ecaps"),
                         [](const auto& info) {
                             std::string name = info.param;
                             std::replace(name.begin(), name.end(), '-', '_');
                             return name;
                         });

} // namespace
} // namespace jailconf::test
