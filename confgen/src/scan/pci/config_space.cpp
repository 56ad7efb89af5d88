#include "scan/pci/config_space.hpp"

#include <fmt/format.h>

#include "scan/pci/capabilities.hpp"
#include "scan/pci/config_reader.hpp"

namespace jailconf::scan::pci {
namespace {

using inventory::PciFunction;

// Type-0/1/2 header registers (PCI Local Bus 3.0, 6.1 and 6.2; PC Card bridge for type 2).
constexpr size_t reg_vendor = 0x00;
constexpr size_t reg_device = 0x02;
constexpr size_t reg_status = 0x06;
constexpr size_t reg_revision = 0x08;
constexpr size_t reg_class = 0x09; // prog-if, subclass, base class
constexpr size_t reg_header_type = 0x0e;
constexpr size_t reg_bar0 = 0x10;
constexpr size_t reg_subsystem_vendor = 0x2c; // type 0
constexpr size_t reg_subsystem = 0x2e;        // type 0
constexpr size_t reg_cap_pointer = 0x34;      // types 0 and 1
constexpr size_t reg_secondary_bus = 0x19;    // types 1 and 2 (CardBus bus number)
constexpr size_t reg_subordinate_bus = 0x1a;  // types 1 and 2
constexpr size_t reg_interrupt_line = 0x3c;
constexpr size_t reg_interrupt_pin = 0x3d;
constexpr size_t reg_cardbus_cap_pointer = 0x14;
constexpr size_t reg_cardbus_subsystem_vendor = 0x40;
constexpr size_t reg_cardbus_subsystem = 0x42;

constexpr uint16_t status_capabilities = 0x0010;

ScanError config_error(const std::string& file, uint64_t offset, std::string message) {
    return ScanError::malformed_at(file, offset, std::move(message));
}

std::vector<ConfigBar> decode_bars(const ConfigReader& config, unsigned count, PciFunction& fn) {
    std::vector<ConfigBar> bars;
    for (unsigned i = 0; i < count; ++i) {
        uint32_t value = *config.u32(reg_bar0 + 4 * i);
        ConfigBar bar;
        bar.index = static_cast<uint8_t>(i);
        if (value & 0x1) {
            bar.io = true;
            bar.address = value & ~uint32_t{0x3};
        } else {
            unsigned type = (value >> 1) & 0x3; // 0: 32-bit, 1: below 1 MiB (legacy), 2: 64-bit
            bar.prefetchable = (value & 0x8) != 0;
            bar.address = value & ~uint32_t{0xf};
            if (type == 3)
                fn.notes.push_back(fmt::format("BAR {} has the reserved memory type 3", i));
            if (type == 2) {
                bar.is64 = true;
                if (i + 1 < count) {
                    bar.address |= uint64_t{*config.u32(reg_bar0 + 4 * (i + 1))} << 32;
                    ++i; // the upper half is not a BAR of its own
                } else {
                    fn.notes.push_back(
                        fmt::format("BAR {} is 64-bit but is the last BAR: no upper half", i));
                }
            }
        }
        bars.push_back(bar);
    }
    return bars;
}

} // namespace

Expected<ParsedConfig, ScanError> parse_config_space(std::string_view bytes,
                                                     const std::string& file) {
    if (bytes.size() < header_size)
        return Unexpected(config_error(
            file, bytes.size(),
            fmt::format("config space is {} bytes; a function has at least the {}-byte header",
                        bytes.size(), header_size)));
    if (bytes.size() > extended_size)
        return Unexpected(
            config_error(file, extended_size,
                         fmt::format("config space is {} bytes; PCIe defines at most {}",
                                     bytes.size(), extended_size)));
    ConfigReader config(bytes);
    ParsedConfig out;
    PciFunction& fn = out.function;
    fn.origin.file = file;
    fn.vendor_id = *config.u16(reg_vendor);
    fn.device_id = *config.u16(reg_device);
    if (fn.vendor_id == 0xffff) {
        fn.notes.push_back("vendor id 0xffff: no function answered (all-ones read)");
        return out;
    }
    fn.revision = *config.u8(reg_revision);
    fn.class_code = *config.u8(reg_class) | uint32_t{*config.u8(reg_class + 1)} << 8 |
                    uint32_t{*config.u8(reg_class + 2)} << 16;
    uint8_t header = *config.u8(reg_header_type);
    out.multi_function = (header & 0x80) != 0;
    fn.header_type = header & 0x7f;
    fn.intx_line = *config.u8(reg_interrupt_line);
    fn.intx_pin = *config.u8(reg_interrupt_pin);
    if (fn.intx_pin > 4)
        fn.notes.push_back(fmt::format("interrupt pin {} is not INTA-INTD", fn.intx_pin));

    size_t cap_pointer = 0;
    switch (fn.header_type) {
    case 0:
        out.bars = decode_bars(config, 6, fn);
        fn.subsystem_vendor_id = *config.u16(reg_subsystem_vendor);
        fn.subsystem_id = *config.u16(reg_subsystem);
        cap_pointer = reg_cap_pointer;
        break;
    case 1:
        out.bars = decode_bars(config, 2, fn);
        fn.secondary_bus = *config.u8(reg_secondary_bus);
        fn.subordinate_bus = *config.u8(reg_subordinate_bus);
        cap_pointer = reg_cap_pointer;
        break;
    case 2:
        // CardBus: a bridge to a card bus; its windows and subsystem ids sit past the common
        // part, which is all this scanner needs to place devices behind it.
        fn.notes.push_back("CardBus bridge (header type 2): only the common header, the socket "
                           "BAR, bus numbers and capabilities are parsed");
        out.bars = decode_bars(config, 1, fn); // socket/ExCA registers
        fn.secondary_bus = *config.u8(reg_secondary_bus);
        fn.subordinate_bus = *config.u8(reg_subordinate_bus);
        if (auto v = config.u16(reg_cardbus_subsystem_vendor))
            fn.subsystem_vendor_id = *v;
        if (auto v = config.u16(reg_cardbus_subsystem))
            fn.subsystem_id = *v;
        cap_pointer = reg_cardbus_cap_pointer;
        break;
    default:
        fn.notes.push_back(fmt::format("unknown header type {:#x}: only the common header is "
                                       "parsed",
                                       fn.header_type));
        return out;
    }

    if (bytes.size() == header_size) {
        // sysfs gives unprivileged readers the 64-byte header only.
        out.truncated = true;
        fn.notes.push_back("config space truncated to 64 bytes (not root): capabilities not read");
        return out;
    }
    if (bytes.size() < conventional_size)
        fn.notes.push_back(fmt::format("config space is {} bytes, short of the {} of conventional "
                                       "PCI: capabilities past the end are lost",
                                       bytes.size(), conventional_size));
    if ((*config.u16(reg_status) & status_capabilities) != 0)
        walk_capabilities(config, cap_pointer, fn);

    // Extended space exists only on PCIe (and PCI-X 2.0) functions; on others the bytes past
    // 0x100 may alias the first 256.
    bool may_extend = false;
    for (const auto& cap : fn.capabilities)
        may_extend |= !cap.extended && (cap.id == 0x10 || cap.id == 0x07);
    if (may_extend && bytes.size() >= extended_size)
        walk_extended_capabilities(config, fn);
    else if (!fn.pcie_type.empty() && bytes.size() < extended_size)
        fn.notes.push_back(fmt::format("PCIe function with only {} bytes of config space: "
                                       "extended capabilities not read",
                                       bytes.size()));
    return out;
}

} // namespace jailconf::scan::pci
