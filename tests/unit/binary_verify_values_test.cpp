// Element values: each verifier error code of the per-element checks with the offset it must
// report, and the check that all cases together provoke every code.
#include <gtest/gtest.h>

#include <set>

#include "binary_verify_cases.hpp"

namespace jailconf::binary_test {

std::vector<Case> value_cases() {
    using S = SectionId;
    using Mem = jcb::MemoryElem;
    using Dev = jcb::PciDeviceElem;
    constexpr size_t bar_type = offsetof(Dev, bars) + offsetof(jcb::PciBarElem, type);
    constexpr size_t bar1 = offsetof(Dev, bars) + sizeof(jcb::PciBarElem);
    return {
        // element values
        {"UnknownFlags", Base::cell, VerifyError::unknown_flags,
         [](Bytes& b) {
             const uint32_t f = at<Mem>(b, S::memory, 1, offsetof(Mem, flags));
             set32(b, f, get32(b, f) | 1u << 9);
             return f;
         }},
        {"BadBool", Base::system, VerifyError::bad_bool,
         [](Bytes& b) {
             const uint32_t f = section_offset(b, S::cell) + offsetof(jcb::CellElem, root);
             b[f] = 2;
             return f;
         }},
        {"BadEnum", Base::system, VerifyError::bad_enum,
         [](Bytes& b) {
             const uint32_t f =
                 section_offset(b, S::hypervisor) + offsetof(jcb::HypervisorElem, console);
             b[f] = 4;
             return f;
         }},
        {"AbsentNotZero", Base::system, VerifyError::absent_not_zero,
         [](Bytes& b) { // the bridge has no MSI
             const uint32_t f = at<Dev>(b, S::pci_devices, 0, offsetof(Dev, msi));
             b[f] = 1;
             return f;
         }},
        {"BadRoot", Base::cell, VerifyError::bad_root,
         [](Bytes& b) {
             const uint32_t f = section_offset(b, S::cell) + offsetof(jcb::CellElem, root);
             b[f] = 1;
             return f;
         }},
        {"ZeroSize", Base::cell, VerifyError::zero_size,
         [](Bytes& b) {
             const uint32_t f = at<Mem>(b, S::memory, 1, offsetof(Mem, size));
             set64(b, f, 0);
             return f;
         }},
        {"PhysOverflow", Base::cell, VerifyError::phys_overflow,
         [](Bytes& b) {
             const uint32_t f = at<Mem>(b, S::memory, 1, offsetof(Mem, phys));
             set64(b, f, 0xfffffffffffff000ull);
             set64(b, f + 16, 0x2000);
             return f;
         }},
        {"VirtOverflow", Base::cell, VerifyError::virt_overflow,
         [](Bytes& b) {
             const uint32_t f = at<Mem>(b, S::memory, 1, offsetof(Mem, virt));
             set64(b, f, 0xfffffffffffff000ull);
             set64(b, f + 8, 0x2000);
             return f;
         }},
        {"Misaligned", Base::cell, VerifyError::misaligned,
         [](Bytes& b) {
             const uint32_t f = at<Mem>(b, S::memory, 0, offsetof(Mem, virt));
             set64(b, f, 0x800);
             return f;
         }},
        {"PhysOverlap", Base::cell, VerifyError::phys_overlap,
         [](Bytes& b) {
             const uint32_t f = at<Mem>(b, S::memory, 1, offsetof(Mem, phys));
             set64(b, f, 0x79000000 + 0x1000);
             return f;
         }},
        {"VirtOverlap", Base::cell, VerifyError::virt_overlap,
         [](Bytes& b) {
             const uint32_t f = at<Mem>(b, S::memory, 1, offsetof(Mem, virt));
             set64(b, f, 0x2000);
             return f;
         }},
        {"RangeInverted", Base::cell, VerifyError::range_inverted,
         [](Bytes& b) {
             set32(b, section_offset(b, S::cpus), 4); // 4-3
             return section_offset(b, S::cpus);
         }},
        {"RangesUnsorted", Base::system, VerifyError::ranges_unsorted,
         [](Bytes& b) {
             const uint32_t f = at<jcb::RangeElem>(b, S::irqs, 1, 0);
             set32(b, f, 10);
             set32(b, f + 4, 12);
             return f;
         }},
        {"RangesOverlap", Base::system, VerifyError::ranges_overlap,
         [](Bytes& b) {
             const uint32_t f = at<jcb::RangeElem>(b, S::irqs, 1, 0);
             set32(b, f, 33);
             return f;
         }},
        {"RangesNotMerged", Base::system, VerifyError::ranges_not_merged,
         [](Bytes& b) {
             const uint32_t f = at<jcb::RangeElem>(b, S::irqs, 1, 0);
             set32(b, f, 34);
             return f;
         }},
        {"CpuIdTooLarge", Base::cell, VerifyError::cpu_id_too_large,
         [](Bytes& b) {
             const uint32_t f = section_offset(b, S::cpus) + 4;
             set32(b, f, limits::max_cpu_id + 1);
             return f;
         }},
        {"NotAscending", Base::system, VerifyError::not_ascending,
         [](Bytes& b) {
             const uint32_t f = at<jcb::PlatformCpuElem>(b, S::platform_cpus, 2, 0);
             set32(b, f, 1);
             return f;
         }},
        {"DuplicateStreamId", Base::system, VerifyError::duplicate_value,
         [](Bytes& b) {
             const uint32_t f = at<jcb::StreamIdElem>(b, S::stream_ids, 1, 0);
             set32(b, f, 0x100);
             return f;
         }},
        {"BarIndexOutOfRange", Base::system, VerifyError::bar_index_out_of_range,
         [](Bytes& b) { // BAR 2 (mem32) moved to index 6
             const uint32_t f = at<Dev>(b, S::pci_devices, 1, bar1);
             b[f] = 6;
             return f;
         }},
        {"Mem64BarAtIndex5", Base::system, VerifyError::bar_index_out_of_range,
         [](Bytes& b) {
             const uint32_t f = at<Dev>(b, S::pci_devices, 1, offsetof(Dev, bars));
             b[f] = 5;
             return f;
         }},
        {"BarIndexDuplicate", Base::system, VerifyError::bar_index_duplicate,
         [](Bytes& b) { // BAR 2 moved to 1, the upper half of the mem64 BAR 0
             const uint32_t f = at<Dev>(b, S::pci_devices, 1, bar1);
             b[f] = 1;
             return f;
         }},
        {"BarTypeEnum", Base::system, VerifyError::bad_enum,
         [](Bytes& b) {
             const uint32_t f = at<Dev>(b, S::pci_devices, 1, bar_type);
             b[f] = 0;
             return f;
         }},
        {"BarWraps", Base::system, VerifyError::phys_overflow,
         [](Bytes& b) {
             const uint32_t f = at<Dev>(b, S::pci_devices, 1, bar1 + 8);
             set64(b, f, 0xfffffffffffff000ull);
             set64(b, f + 8, 0x2000);
             return f;
         }},
        {"MsixTableBar", Base::system, VerifyError::bar_index_out_of_range,
         [](Bytes& b) {
             const uint32_t f = at<Dev>(
                 b, S::pci_devices, 1, offsetof(Dev, msix) + offsetof(jcb::PciMsixElem, table_bar));
             b[f] = 6;
             return f;
         }},
        {"MsixPbaBar", Base::system, VerifyError::bar_index_out_of_range,
         [](Bytes& b) {
             const uint32_t f = at<Dev>(b, S::pci_devices, 1,
                                        offsetof(Dev, msix) + offsetof(jcb::PciMsixElem, pba_bar));
             b[f] = 7;
             return f;
         }},
        {"DuplicateBdf", Base::system, VerifyError::duplicate_value,
         [](Bytes& b) {
             const uint32_t f = at<Dev>(b, S::pci_devices, 1, offsetof(Dev, bdf));
             set32(b, f, 0);
             return f;
         }},
        {"ConsoleWraps", Base::cell, VerifyError::phys_overflow,
         [](Bytes& b) {
             const uint32_t f = section_offset(b, S::console) + offsetof(jcb::ConsoleElem, base);
             set64(b, f, ~0ull);
             return f;
         }},
        {"IrqchipAddressesWithoutIrqchip", Base::system, VerifyError::absent_not_zero,
         [](Bytes& b) {
             const uint32_t p = section_offset(b, S::platform);
             b[p + offsetof(jcb::PlatformElem, irqchip_type)] = 0;
             b[p + offsetof(jcb::PlatformElem, flags)] &= uint8_t(~jcb::platform_has_irqchip);
             return uint32_t(p + offsetof(jcb::PlatformElem, flags));
         }},
        {"PciBusRangeInverted", Base::system, VerifyError::range_inverted,
         [](Bytes& b) {
             const uint32_t p = section_offset(b, S::platform);
             b[p + offsetof(jcb::PlatformElem, pci_bus_start)] = 10;
             b[p + offsetof(jcb::PlatformElem, pci_bus_end)] = 5;
             return uint32_t(p + offsetof(jcb::PlatformElem, pci_bus_start));
         }},
        {"IommuZeroSize", Base::system, VerifyError::zero_size,
         [](Bytes& b) {
             const uint32_t f = section_offset(b, S::iommus) + offsetof(jcb::IommuElem, size);
             set64(b, f, 0);
             return f;
         }},
        {"DuplicateLinkName", Base::system, VerifyError::duplicate_value,
         [](Bytes& b) {
             const uint32_t f = at<jcb::LinkElem>(b, S::links, 1, offsetof(jcb::LinkElem, name));
             set32(b, f,
                   get32(b, at<jcb::LinkElem>(b, S::links, 0, offsetof(jcb::LinkElem, name))));
             return f;
         }},
        {"DuplicatePeer", Base::system, VerifyError::duplicate_value,
         [](Bytes& b) {
             const uint32_t f = at<jcb::LinkPeerElem>(b, S::link_peers, 1, 0);
             set32(b, f, get32(b, at<jcb::LinkPeerElem>(b, S::link_peers, 0, 0)));
             return f;
         }},
        {"BadSlice", Base::system, VerifyError::bad_slice,
         [](Bytes& b) {
             const uint32_t f = at<Dev>(b, S::pci_devices, 1, offsetof(Dev, caps_first));
             set32(b, f, 2);
             return f;
         }},
        {"UnclaimedLinkPeers", Base::system, VerifyError::bad_slice,
         [](Bytes& b) {
             const uint32_t f =
                 at<jcb::LinkElem>(b, S::links, 1, offsetof(jcb::LinkElem, peers_count));
             set32(b, f, 1);
             return section_offset(b, S::link_peers);
         }},
        {"BadPciCap", Base::system, VerifyError::bad_pci_cap,
         [](Bytes& b) { // a legacy capability reaching past 0x100
             const uint32_t f =
                 at<jcb::PciCapElem>(b, S::pci_caps, 1, offsetof(jcb::PciCapElem, offset));
             write_at(b, f, jcb::Le16::of(0xf0));
             return f;
         }},
        {"BadPioRange", Base::cell, VerifyError::bad_pio_range,
         [](Bytes& b) {
             write_at(b, section_offset(b, S::pio), jcb::Le16::of(0xfffc));
             return section_offset(b, S::pio);
         }},
        {"ZeroTimeout", Base::cell, VerifyError::zero_timeout,
         [](Bytes& b) {
             set32(b, section_offset(b, S::watchdog), 0);
             return section_offset(b, S::watchdog);
         }},
        {"RootMapsGicDistributor", Base::system, VerifyError::gic_mapped,
         [](Bytes& b) { // uart0 moved onto the GICv3 distributor at 0x08000000
             const uint32_t f =
                 at<jcb::MemoryElem>(b, S::memory, 1, offsetof(jcb::MemoryElem, phys));
             set64(b, f, 0x08000000);
             return f;
         }},
        {"RootMapsLastRedistributor", Base::system, VerifyError::gic_mapped,
         [](Bytes& b) { // the frame of CPU 3 (of 4): 0x080a0000 + 3 * 0x20000
             const uint32_t f =
                 at<jcb::MemoryElem>(b, S::memory, 1, offsetof(jcb::MemoryElem, phys));
             set64(b, f, 0x08110000);
             return f;
         }},
    };
}

namespace {

class VerifyValueErrors : public ::testing::TestWithParam<Case> {};

TEST_P(VerifyValueErrors, ReportsCodeAndOffset) {
    run_case(GetParam());
}

INSTANTIATE_TEST_SUITE_P(VerifyEachCode, VerifyValueErrors, ::testing::ValuesIn(value_cases()),
                         case_name);

TEST(VerifyErrorTable, EveryCodeIsProvokedAndHasAMessage) {
    std::set<VerifyError> covered;
    for (const auto& cases : {structure_cases(), value_cases()})
        for (const Case& c : cases)
            covered.insert(c.error);
    for (uint16_t i = 1; i < uint16_t(VerifyError::count_); ++i) {
        EXPECT_TRUE(covered.count(VerifyError(i)))
            << "no test case for code " << i << ": " << jcb::verify_error_message(VerifyError(i));
        EXPECT_STRNE(jcb::verify_error_message(VerifyError(i)), "");
    }
    EXPECT_STREQ(jcb::verify_error_message(VerifyError::count_), "unknown error");
}

} // namespace
} // namespace jailconf::binary_test
