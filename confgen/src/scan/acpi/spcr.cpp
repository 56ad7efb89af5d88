// SPCR: the console the firmware redirected to. It is the firmware's choice, so it is `chosen`.
#include <fmt/format.h>

#include "scan/acpi/table.hpp"

namespace jailconf::scan::acpi {

namespace {

constexpr size_t kSpcrSize = 80; // revision 1 layout; later revisions only append
constexpr size_t kInterfaceType = 36;
constexpr size_t kBaseGas = 40; // space id at +0, address at +4
constexpr size_t kInterruptType = 52;
constexpr size_t kPcatIrq = 53;
constexpr size_t kGsi = 54;
constexpr size_t kBaudRate = 58;
constexpr uint8_t kGasSystemIo = 1;
constexpr uint8_t kIrqPcat = 1u << 0;
constexpr uint8_t kIrqGsiKinds = 0x1e; // I/O APIC, I/O SAPIC, Arm GIC, RISC-V PLIC: the GSI field

// Serial interface subtypes (the DBG2 port subtype list SPCR shares), named like the drivers and
// device-tree compatibles users know them by.
std::string interface_name(uint8_t type) {
    switch (type) {
    case 0x00:
    case 0x12:
    case 0x13:
        return "16550";
    case 0x01:
        return "8250"; // the 16450 subset of 16550
    case 0x03:
        return "pl011";
    case 0x0d:
        return "imx-uart";
    case 0x0e:
    case 0x0f:
        return "sbsa-uart";
    case 0x10:
        return "arm-dcc";
    case 0x11:
        return "bcm2835-aux-uart";
    case 0x15:
        return "intel-lpss-uart";
    default:
        return fmt::format("spcr-interface-0x{:02x}", type);
    }
}

uint32_t baud_from_code(uint8_t code) {
    switch (code) {
    case 3:
        return 9600;
    case 4:
        return 19200;
    case 6:
        return 57600;
    case 7:
        return 115200;
    default:
        return 0; // 0 is "as configured by the firmware"; other codes are reserved
    }
}

} // namespace

ParseResult parse_spcr(const Table& t, ScanState& s) {
    const std::string_view b = t.bytes;
    if (b.size() < kSpcrSize)
        return Unexpected(t.malformed(
            kHeaderSize, fmt::format("SPCR is {} bytes, shorter than the {} of revision 1",
                                     b.size(), kSpcrSize)));
    inventory::Console c;
    c.type = interface_name(u8(b, kInterfaceType));
    c.base = u64(b, kBaseGas + 4);
    c.port_io = u8(b, kBaseGas) == kGasSystemIo;
    const uint8_t irq_type = u8(b, kInterruptType);
    if (irq_type & kIrqGsiKinds)
        c.irq = inventory::Interrupt{u32(b, kGsi), inventory::Trigger::unknown};
    else if (irq_type & kIrqPcat)
        c.irq = inventory::Interrupt{u8(b, kPcatIrq), inventory::Trigger::unknown};
    c.baud = baud_from_code(u8(b, kBaudRate));
    c.chosen = true;
    c.origin = t.origin(kInterfaceType);
    s.inv.consoles.push_back(std::move(c));
    return Ok{};
}

} // namespace jailconf::scan::acpi
