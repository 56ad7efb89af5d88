// Pins of the v1 byte layout: struct sizes and field offsets (also static_asserted next to the
// structs), and the bytes the encoder writes for a known system.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "binary_test_support.hpp"
#include "jailconf/format.hpp"

namespace jailconf::binary_test {
namespace {

using jcb::SectionId;

TEST(BinaryLayout, ElementSizesOfVersion1) {
    EXPECT_EQ(sizeof(jcb::Header), 64u);
    EXPECT_EQ(sizeof(jcb::SectionEntry), 16u);
    EXPECT_EQ(sizeof(jcb::PlatformElem), 88u);
    EXPECT_EQ(sizeof(jcb::PlatformCpuElem), 16u);
    EXPECT_EQ(sizeof(jcb::IommuElem), 24u);
    EXPECT_EQ(sizeof(jcb::HypervisorElem), 48u);
    EXPECT_EQ(sizeof(jcb::CellElem), 8u);
    EXPECT_EQ(sizeof(jcb::RangeElem), 8u);
    EXPECT_EQ(sizeof(jcb::MemoryElem), 32u);
    EXPECT_EQ(sizeof(jcb::PciDeviceElem), 184u);
    EXPECT_EQ(sizeof(jcb::PciBarElem), 24u);
    EXPECT_EQ(sizeof(jcb::PciCapElem), 8u);
    EXPECT_EQ(sizeof(jcb::StreamIdElem), 4u);
    EXPECT_EQ(sizeof(jcb::PioElem), 8u);
    EXPECT_EQ(sizeof(jcb::ConsoleElem), 24u);
    EXPECT_EQ(sizeof(jcb::WatchdogElem), 8u);
    EXPECT_EQ(sizeof(jcb::LinkElem), 48u);
    EXPECT_EQ(sizeof(jcb::LinkPeerElem), 4u);
    EXPECT_EQ(alignof(jcb::PciDeviceElem), 1u);
}

TEST(BinaryLayout, SectionIdsAndNames) {
    EXPECT_EQ(jcb::section_id_max, 17);
    EXPECT_STREQ(jcb::section_name(1), "strings");
    EXPECT_STREQ(jcb::section_name(8), "memory");
    EXPECT_STREQ(jcb::section_name(17), "link_peers");
    EXPECT_EQ(jcb::section_rule(0), nullptr);
    EXPECT_EQ(jcb::section_rule(18), nullptr);
}

TEST(BinaryLayout, LittleEndianFields) {
    jcb::Le64 v = jcb::Le64::of(0x0102030405060708ull);
    const uint8_t expected[8] = {8, 7, 6, 5, 4, 3, 2, 1};
    EXPECT_EQ(std::memcmp(v.b, expected, 8), 0);
    EXPECT_EQ(v.get(), 0x0102030405060708ull);
}

TEST(BinaryLayout, HeaderBytes) {
    const Bytes b = compile_ok(sample_system())[0].bytes;
    ASSERT_GE(b.size(), 64u);
    EXPECT_EQ(std::string(b.begin(), b.begin() + 4), "JCFG");
    EXPECT_EQ(b[4], 1); // version 1, little-endian
    EXPECT_EQ(b[5], 0);
    EXPECT_EQ(b[6], 64); // header size
    EXPECT_EQ(b[8], 1);  // arm64
    EXPECT_EQ(b[9], 1);  // system
    EXPECT_EQ(jcb::load_le32(b.data() + 12), b.size());
    EXPECT_EQ(b.size() % 8, 0u);
    for (int i = 24; i < 32; ++i)
        EXPECT_EQ(b[i], 0) << i;
    const Bytes cell = compile_ok(sample_system())[1].bytes;
    EXPECT_EQ(cell[9], 2); // cell
}

TEST(BinaryLayout, SectionsFollowTheTableInIdOrderEightAligned) {
    for (const Blob& blob : compile_ok(sample_system())) {
        const Bytes& b = blob.bytes;
        const uint16_t n = jcb::load_le16(b.data() + 10);
        uint32_t end = 64 + 16 * n;
        uint16_t previous = 0;
        for (uint32_t i = 0; i < n; ++i) {
            const auto e = read_at<jcb::SectionEntry>(b, 64 + 16 * i);
            EXPECT_GT(e.id.get(), previous);
            previous = e.id.get();
            EXPECT_EQ(e.offset.get(), (end + 7) & ~7u) << jcb::section_name(e.id.get());
            end = e.offset.get() + e.count.get() * e.elem_size.get();
        }
        EXPECT_EQ(b.size(), (end + 7) & ~7u);
    }
}

TEST(BinaryLayout, SystemBlobSections) {
    const Bytes b = compile_ok(sample_system())[0].bytes;
    for (uint16_t id = 1; id <= jcb::section_id_max; ++id) {
        // The sample's root cell has no port I/O and no watchdog: empty sections are left out.
        const bool expected = id != uint16_t(SectionId::pio) && id != uint16_t(SectionId::watchdog);
        EXPECT_EQ(entry_offset(b, SectionId(id)) != 0, expected) << jcb::section_name(id);
    }
    EXPECT_EQ(section_count(b, SectionId::pci_caps), 4u);
    EXPECT_EQ(section_count(b, SectionId::link_peers), 4u);
}

TEST(BinaryLayout, CellBlobCarriesOnlyCellSections) {
    const Bytes b = compile_ok(sample_system())[1].bytes;
    const SectionId present[] = {SectionId::strings, SectionId::cell,    SectionId::cpus,
                                 SectionId::memory,  SectionId::irqs,    SectionId::pio,
                                 SectionId::console, SectionId::watchdog};
    for (uint16_t id = 1; id <= jcb::section_id_max; ++id) {
        const bool expected = std::ranges::find(present, SectionId(id)) != std::end(present);
        EXPECT_EQ(entry_offset(b, SectionId(id)) != 0, expected) << jcb::section_name(id);
    }
}

// Offset 0 is the empty string; names are deduplicated in order of first use.
TEST(BinaryLayout, StringTable) {
    const Bytes b = compile_ok(sample_system())[0].bytes;
    const uint32_t at = section_offset(b, SectionId::strings);
    const std::string table(b.begin() + at, b.begin() + at + section_count(b, SectionId::strings));
    EXPECT_EQ(table, std::string("\0sample-board\0root\0ram\0uart0\0ping\0bulk\0rt\0", 42));
    const auto link = read_at<jcb::LinkElem>(b, elem_offset<jcb::LinkElem>(b, SectionId::links, 0));
    EXPECT_EQ(link.name.get(), table.find("ping"));
    const auto mem2 =
        read_at<jcb::MemoryElem>(b, elem_offset<jcb::MemoryElem>(b, SectionId::memory, 2));
    EXPECT_EQ(mem2.name.get(), 0u); // unnamed region
}

TEST(BinaryLayout, CpuAndIrqListsAreCanonicalRanges) {
    System s = sample_system();
    s.cells[0].irqs = {{40, 41, {}}, {33, 33, {}}, {34, 36, {}}, {35, 39, {}}, {50, 50, {}}};
    const Bytes b = compile_ok(s)[0].bytes;
    ASSERT_EQ(section_count(b, SectionId::irqs), 2u);
    const auto r0 = read_at<jcb::RangeElem>(b, elem_offset<jcb::RangeElem>(b, SectionId::irqs, 0));
    const auto r1 = read_at<jcb::RangeElem>(b, elem_offset<jcb::RangeElem>(b, SectionId::irqs, 1));
    EXPECT_EQ(r0.first.get(), 33u);
    EXPECT_EQ(r0.last.get(), 41u);
    EXPECT_EQ(r1.first.get(), 50u);
    EXPECT_EQ(r1.last.get(), 50u);
    ASSERT_EQ(section_count(b, SectionId::cpus), 1u); // {2}, {0-1} -> 0-2
}

TEST(BinaryLayout, OptionalValuesHavePresenceFlags) {
    const Bytes b = compile_ok(sample_system())[0].bytes;
    const auto p =
        read_at<jcb::PlatformElem>(b, elem_offset<jcb::PlatformElem>(b, SectionId::platform, 0));
    EXPECT_EQ(p.flags.get(), jcb::platform_has_irqchip | jcb::platform_has_pci |
                                 jcb::irqchip_has_gicd | jcb::irqchip_has_gicr |
                                 jcb::irqchip_has_gicr_stride);
    EXPECT_EQ(p.gicc.get(), 0u);
    const auto k1 = read_at<jcb::LinkElem>(b, elem_offset<jcb::LinkElem>(b, SectionId::links, 1));
    EXPECT_EQ(k1.flags.get(), 0u); // no doorbell
    const auto bridge = read_at<jcb::PciDeviceElem>(
        b, elem_offset<jcb::PciDeviceElem>(b, SectionId::pci_devices, 0));
    EXPECT_EQ(bridge.flags.get(), 0u);
    EXPECT_EQ(bridge.bar_count, 0u);
}

} // namespace
} // namespace jailconf::binary_test
