// Config-space parser on real captures and on broken variants of them: every variant gives a
// defined result (an error with its offset, or notes on the function), never a crash or hang.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "scan/pci/config_space.hpp"
#include "scan_pci_lspci.hpp"

namespace jailconf::test {
namespace {

using scan::pci::parse_config_space;

const std::string fixtures = JAILCONF_FIXTURES;

// virtio balloon: capabilities 40 50 60 70 84 (vendor) -> 98 (MSI-X), 256 bytes.
std::string virtio() {
    return read_text_file(fixtures + "/pci/x86-vm/0000:00:01.0.config");
}
// X58 root port: PCIe, 4096 bytes, extended list 100 (AER) -> 150 (ACS) -> 160 (VSEC).
std::string root_port() {
    return read_text_file(fixtures + "/pci/pciutils/tree-asus-p6t6/0000:00:01.0.config");
}

bool has_note(const inventory::PciFunction& fn, const std::string& part) {
    return std::any_of(fn.notes.begin(), fn.notes.end(),
                       [&](const std::string& n) { return n.find(part) != std::string::npos; });
}

std::vector<uint16_t> offsets(const inventory::PciFunction& fn, bool extended) {
    std::vector<uint16_t> out;
    for (const auto& c : fn.capabilities)
        if (c.extended == extended)
            out.push_back(c.offset);
    return out;
}

void put16(std::string& b, size_t at, uint16_t v) {
    b[at] = char(v & 0xff);
    b[at + 1] = char(v >> 8);
}

TEST(ScanPciConfig, RealVirtioFunction) {
    auto p = parse_config_space(virtio(), "cfg");
    ASSERT_TRUE(p);
    const auto& fn = p->function;
    EXPECT_EQ(fn.vendor_id, 0x1af4);
    EXPECT_EQ(fn.device_id, 0x1045);
    EXPECT_EQ(offsets(fn, false), (std::vector<uint16_t>{0x40, 0x50, 0x60, 0x70, 0x84, 0x98}));
    ASSERT_TRUE(fn.msix);
    EXPECT_EQ(fn.msix->offset, 0x98);
    EXPECT_EQ(fn.origin.file, "cfg");
    EXPECT_TRUE(fn.notes.empty());
    ASSERT_EQ(p->bars.size(), 5u); // BAR 0 is 64-bit and takes BAR 1's register
    EXPECT_TRUE(p->bars[0].is64);
    EXPECT_EQ(p->bars[1].index, 2);
}

TEST(ScanPciConfig, HostBridgeWithEmptyExtendedSpace) {
    auto p = parse_config_space(read_text_file(fixtures + "/pci/x86-vm/0000:00:00.0.config"), "c");
    ASSERT_TRUE(p);
    EXPECT_TRUE(p->function.capabilities.empty());
    EXPECT_TRUE(p->function.notes.empty());
}

TEST(ScanPciConfig, RootPortExtendedCapabilitiesAndAcs) {
    auto p = parse_config_space(root_port(), "c");
    ASSERT_TRUE(p);
    EXPECT_EQ(offsets(p->function, true), (std::vector<uint16_t>{0x100, 0x150, 0x160}));
    EXPECT_EQ(p->function.pcie_type, "root-port");
    ASSERT_TRUE(p->function.acs);
    EXPECT_EQ(p->function.acs->offset, 0x150);
    EXPECT_EQ(p->function.acs->capabilities, 0x1f);
    EXPECT_EQ(p->function.subsystem_vendor_id, 0x1043); // from the Bridge SSVID capability
}

// The extended space of a conventional function may alias the first 256 bytes (this one does):
// it is not walked.
TEST(ScanPciConfig, AliasedExtendedSpaceOfConventionalFunctionIgnored) {
    auto p = parse_config_space(
        read_text_file(fixtures + "/pci/pciutils/broken-ecaps/0000:00:00.0.config"), "c");
    ASSERT_TRUE(p);
    EXPECT_TRUE(p->function.capabilities.empty());
}

TEST(ScanPciConfig, CapabilityPointingToItself) {
    std::string b = virtio();
    b[0x99] = char(0x98);
    auto p = parse_config_space(b, "c");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->function.capabilities.size(), 6u);
    EXPECT_TRUE(has_note(p->function, "loops back"));
}

TEST(ScanPciConfig, CapabilityPointingToAnEarlierOne) {
    std::string b = virtio();
    b[0x99] = char(0x40);
    auto p = parse_config_space(b, "c");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->function.capabilities.size(), 6u);
    EXPECT_TRUE(has_note(p->function, "pointer 0x40 at 0x99 loops back"));
}

TEST(ScanPciConfig, PointerIntoTheHeader) {
    std::string b = virtio();
    b[0x34] = char(0x20);
    auto p = parse_config_space(b, "c");
    ASSERT_TRUE(p);
    EXPECT_TRUE(p->function.capabilities.empty());
    EXPECT_TRUE(has_note(p->function, "0x20 at 0x34 points into the header"));
}

TEST(ScanPciConfig, ReservedPointerBitsAreMasked) {
    std::string b = virtio();
    b[0x34] = char(0x42);
    auto p = parse_config_space(b, "c");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->function.capabilities.size(), 6u);
    EXPECT_TRUE(has_note(p->function, "reserved bits"));
}

TEST(ScanPciConfig, PointerPastTheEnd) {
    std::string b = virtio().substr(0, 0x90);
    auto p = parse_config_space(b, "c");
    ASSERT_TRUE(p);
    EXPECT_EQ(offsets(p->function, false), (std::vector<uint16_t>{0x40, 0x50, 0x60, 0x70, 0x84}));
    EXPECT_TRUE(has_note(p->function, "0x98 at 0x85 points past the 144 readable bytes"));
}

TEST(ScanPciConfig, MsixStructureCutOff) {
    std::string b = virtio().substr(0, 0xa0);
    auto p = parse_config_space(b, "c");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->function.capabilities.size(), 6u);
    EXPECT_FALSE(p->function.msix);
    EXPECT_TRUE(has_note(p->function, "MSI-X capability at 0x98 is cut off"));
}

TEST(ScanPciConfig, MsixReservedBir) {
    std::string b = virtio();
    b[0x9c] = char((b[0x9c] & ~7) | 7);
    auto p = parse_config_space(b, "c");
    ASSERT_TRUE(p);
    ASSERT_TRUE(p->function.msix);
    EXPECT_EQ(p->function.msix->table_bar, 7);
    EXPECT_TRUE(has_note(p->function, "table BIR 7 names no BAR"));
}

TEST(ScanPciConfig, CapabilityIdAllOnes) {
    std::string b = virtio();
    b[0x70] = char(0xff);
    auto p = parse_config_space(b, "c");
    ASSERT_TRUE(p);
    EXPECT_EQ(offsets(p->function, false), (std::vector<uint16_t>{0x40, 0x50, 0x60}));
    EXPECT_TRUE(has_note(p->function, "0xff at 0x70"));
}

TEST(ScanPciConfig, ExtendedCapabilityLoop) {
    std::string b = root_port();
    // 0x160 is the last one: point it back at 0x100.
    put16(b, 0x162, uint16_t((b[0x162] & 0x000f) | 0x100 << 4));
    auto p = parse_config_space(b, "c");
    ASSERT_TRUE(p);
    EXPECT_EQ(offsets(p->function, true), (std::vector<uint16_t>{0x100, 0x150, 0x160}));
    EXPECT_TRUE(has_note(p->function, "extended capability pointer 0x100 at 0x162 loops back"));
}

TEST(ScanPciConfig, ExtendedPointerBelow0x100) {
    std::string b = root_port();
    put16(b, 0x102, uint16_t((b[0x102] & 0x000f) | 0x80 << 4));
    auto p = parse_config_space(b, "c");
    ASSERT_TRUE(p);
    EXPECT_EQ(offsets(p->function, true), (std::vector<uint16_t>{0x100}));
    EXPECT_TRUE(has_note(p->function, "points below 0x100"));
}

TEST(ScanPciConfig, PcieFunctionWithOnly256Bytes) {
    auto p = parse_config_space(root_port().substr(0, 256), "c");
    ASSERT_TRUE(p);
    EXPECT_TRUE(offsets(p->function, true).empty());
    EXPECT_TRUE(has_note(p->function, "extended capabilities not read"));
}

TEST(ScanPciConfig, TruncatedTo63BytesIsAnError) {
    auto p = parse_config_space(virtio().substr(0, 63), "/sys/x/config");
    ASSERT_FALSE(p);
    EXPECT_EQ(p.error().kind, ScanError::Kind::malformed);
    EXPECT_EQ(p.error().file, "/sys/x/config");
    EXPECT_EQ(p.error().offset, 63u);
}

TEST(ScanPciConfig, TruncatedTo64BytesIsTheUnprivilegedView) {
    auto p = parse_config_space(virtio().substr(0, 64), "c");
    ASSERT_TRUE(p);
    EXPECT_TRUE(p->truncated);
    EXPECT_EQ(p->function.vendor_id, 0x1af4);
    EXPECT_TRUE(p->function.capabilities.empty());
    EXPECT_TRUE(has_note(p->function, "truncated to 64 bytes"));
}

TEST(ScanPciConfig, TruncatedTo255Bytes) {
    auto p = parse_config_space(virtio().substr(0, 255), "c");
    ASSERT_TRUE(p);
    EXPECT_FALSE(p->truncated);
    EXPECT_EQ(p->function.capabilities.size(), 6u);
    EXPECT_TRUE(has_note(p->function, "255 bytes"));
}

TEST(ScanPciConfig, LargerThan4096IsAnError) {
    auto p = parse_config_space(std::string(4097, '\0'), "c");
    ASSERT_FALSE(p);
    EXPECT_EQ(p.error().offset, 4096u);
}

TEST(ScanPciConfig, UnknownHeaderType) {
    std::string b = virtio();
    b[0x0e] = char(0x7f);
    auto p = parse_config_space(b, "c");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->function.header_type, 0x7f);
    EXPECT_TRUE(p->function.capabilities.empty());
    EXPECT_TRUE(has_note(p->function, "unknown header type 0x7f"));
}

TEST(ScanPciConfig, CardBusBridge) {
    auto p = parse_config_space(
        read_text_file(fixtures + "/pci/pciutils/tree-fujitsu-p8010/0000:1c:03.0.config"), "c");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->function.header_type, 2);
    EXPECT_TRUE(has_note(p->function, "CardBus"));
    EXPECT_GT(p->function.subordinate_bus, 0);
}

TEST(ScanPciConfig, NoFunctionAnswers) {
    auto p = parse_config_space(std::string(256, char(0xff)), "c");
    ASSERT_TRUE(p);
    EXPECT_TRUE(has_note(p->function, "0xffff"));
    EXPECT_TRUE(p->function.capabilities.empty());
}

// Every single-byte change of the real images ends (no hang, no sanitizer report) with a
// bounded capability list: a cheap, deterministic sibling of the fuzzer.
TEST(ScanPciConfig, EverySingleByteMutationTerminates) {
    for (const std::string& base :
         {virtio(), root_port().substr(0, 0x200) + std::string(0xe00, '\0')}) {
        for (size_t at = 0; at < std::min<size_t>(base.size(), 0x200); ++at) {
            for (unsigned v : {0x00u, 0x01u, 0x40u, 0x44u, 0xfcu, 0xffu}) {
                std::string b = base;
                b[at] = char(v);
                auto p = parse_config_space(b, "c");
                ASSERT_TRUE(p);
                EXPECT_LE(p->function.capabilities.size(), 48u + 960u);
            }
        }
    }
}

} // namespace
} // namespace jailconf::test
