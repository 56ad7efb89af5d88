// FADT ("FACP"): hardware-reduced mode, the ACPI PM timer, the SCI and the boot architecture
// flags. Fields are read only when the table is long enough for them (revision 1 FADTs are 116
// bytes; the 64-bit X_ fields came later).
#include <fmt/format.h>

#include "scan/acpi/table.hpp"

namespace jailconf::scan::acpi {

namespace {
constexpr size_t kSciInt = 46;        // 2 bytes
constexpr size_t kPmTmrBlk = 76;      // 4 bytes, I/O port
constexpr size_t kIapcBootArch = 109; // 2 bytes, FADT revision >= 2
constexpr size_t kFlags = 112;        // 4 bytes
constexpr size_t kArmBootArch = 129;  // 2 bytes, FADT revision >= 5
constexpr size_t kXPmTmrBlk = 208;    // 12-byte Generic Address Structure
constexpr uint32_t kHwReducedAcpi = 1u << 20;
constexpr uint8_t kGasSystemIo = 1;
} // namespace

ParseResult parse_fadt(const Table& t, ScanState& s) {
    const std::string_view b = t.bytes;
    if (b.size() < kFlags + 4)
        return Unexpected(t.malformed(
            kHeaderSize,
            fmt::format("FADT is {} bytes, shorter than the 116 bytes of revision 1", b.size())));
    auto& acpi = s.inv.acpi;
    s.saw_fadt = true;
    acpi.sci_irq = u16(b, kSciInt);
    acpi.boot_arch_flags = u16(b, kIapcBootArch);
    acpi.hw_reduced = (u32(b, kFlags) & kHwReducedAcpi) != 0;
    if (fits(b, kArmBootArch, 2))
        s.arm_boot_arch = u16(b, kArmBootArch);

    // Hardware-reduced ACPI has no fixed hardware: the spec says to ignore the PM timer fields.
    acpi.pm_timer_port.reset();
    if (acpi.hw_reduced)
        return Ok{};
    // The 64-bit field wins when set; the timer is only usable as a port when it is in I/O space.
    if (fits(b, kXPmTmrBlk, 12) && u64(b, kXPmTmrBlk + 4) != 0) {
        const uint64_t address = u64(b, kXPmTmrBlk + 4);
        if (u8(b, kXPmTmrBlk) == kGasSystemIo && address <= UINT32_MAX)
            acpi.pm_timer_port = static_cast<uint32_t>(address);
        return Ok{};
    }
    if (const uint32_t port = u32(b, kPmTmrBlk))
        acpi.pm_timer_port = port;
    return Ok{};
}

} // namespace jailconf::scan::acpi
