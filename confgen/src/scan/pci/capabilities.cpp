#include "scan/pci/capabilities.hpp"

#include <bitset>
#include <fmt/format.h>
#include <string>

#include "scan/pci/capability_names.hpp"

namespace jailconf::scan::pci {
namespace {

using inventory::PciFunction;

// Capability ids this file decodes.
constexpr uint8_t cap_msi = 0x05;
constexpr uint8_t cap_ssvid = 0x0d;
constexpr uint8_t cap_pcie = 0x10;
constexpr uint8_t cap_msix = 0x11;
constexpr uint16_t ext_cap_acs = 0x0d;

// The standard list lives above the 64-byte header and below 0x100.
constexpr size_t first_capability = 0x40;
constexpr size_t first_extended = 0x100;

void note(PciFunction& fn, std::string text) {
    fn.notes.push_back(std::move(text));
}

// True when the structure of `length` bytes at `offset` is readable; otherwise a note.
bool readable(const ConfigReader& config, size_t offset, size_t length, std::string_view what,
              PciFunction& fn) {
    if (config.has(offset, length))
        return true;
    note(fn, fmt::format("{} capability at {:#x} is cut off at the end of the {} readable bytes",
                         what, offset, config.size()));
    return false;
}

void decode_msi(const ConfigReader& config, size_t offset, PciFunction& fn) {
    if (fn.msi) {
        note(fn, fmt::format("second MSI capability at {:#x} ignored", offset));
        return;
    }
    if (!readable(config, offset, 4, "MSI", fn))
        return;
    uint16_t control = *config.u16(offset + 2);
    inventory::PciMsi msi;
    msi.offset = static_cast<uint16_t>(offset);
    unsigned capable = (control >> 1) & 0x7; // Multiple Message Capable: log2 of the vectors
    if (capable > 5) {
        note(fn, fmt::format("MSI at {:#x}: reserved Multiple Message Capable value {}; assuming "
                             "32 vectors",
                             offset, capable));
        capable = 5;
    }
    msi.vectors = static_cast<uint8_t>(1u << capable);
    msi.is64 = (control & 0x0080) != 0;
    msi.per_vector_mask = (control & 0x0100) != 0;
    // Layout length: address (4 or 8) + data (2, padded to 4 with masking) + mask + pending.
    size_t length = msi.is64 ? 14 : 10;
    if (msi.per_vector_mask)
        length = msi.is64 ? 24 : 20;
    readable(config, offset, length, "MSI", fn);
    fn.msi = msi;
}

void decode_msix(const ConfigReader& config, size_t offset, PciFunction& fn) {
    if (fn.msix) {
        note(fn, fmt::format("second MSI-X capability at {:#x} ignored", offset));
        return;
    }
    if (!readable(config, offset, 12, "MSI-X", fn))
        return;
    uint16_t control = *config.u16(offset + 2);
    uint32_t table = *config.u32(offset + 4);
    uint32_t pba = *config.u32(offset + 8);
    inventory::PciMsix msix;
    msix.offset = static_cast<uint16_t>(offset);
    msix.table_size = static_cast<uint16_t>((control & 0x07ff) + 1);
    msix.table_bar = static_cast<uint8_t>(table & 0x7);
    msix.table_offset = table & ~uint32_t{0x7};
    msix.pba_bar = static_cast<uint8_t>(pba & 0x7);
    msix.pba_offset = pba & ~uint32_t{0x7};
    // BIR values 6 and 7 are reserved; a type-1 header has only BARs 0 and 1.
    unsigned bars = fn.header_type == 1 ? 2 : 6;
    if (msix.table_bar >= bars)
        note(fn, fmt::format("MSI-X at {:#x}: table BIR {} names no BAR of this header", offset,
                             msix.table_bar));
    if (msix.pba_bar >= bars)
        note(fn, fmt::format("MSI-X at {:#x}: PBA BIR {} names no BAR of this header", offset,
                             msix.pba_bar));
    fn.msix = msix;
}

void decode_pcie(const ConfigReader& config, size_t offset, PciFunction& fn) {
    if (!fn.pcie_type.empty()) {
        note(fn, fmt::format("second PCIe capability at {:#x} ignored", offset));
        return;
    }
    if (!readable(config, offset, 4, "PCIe", fn))
        return;
    uint16_t caps = *config.u16(offset + 2);
    fn.pcie_type = std::string(pcie_port_type_name(static_cast<uint8_t>((caps >> 4) & 0xf)));
}

// A type-1 header has no subsystem id registers; bridges that have ids carry them here.
void decode_ssvid(const ConfigReader& config, size_t offset, PciFunction& fn) {
    if (fn.header_type != 1 || !readable(config, offset, 8, "Bridge SSVID", fn))
        return;
    fn.subsystem_vendor_id = *config.u16(offset + 4);
    fn.subsystem_id = *config.u16(offset + 6);
}

void decode_acs(const ConfigReader& config, size_t offset, PciFunction& fn) {
    if (fn.acs) {
        note(fn, fmt::format("second ACS capability at {:#x} ignored", offset));
        return;
    }
    if (!readable(config, offset, 8, "ACS", fn))
        return;
    inventory::PciAcs acs;
    acs.offset = static_cast<uint16_t>(offset);
    acs.capabilities = *config.u16(offset + 4);
    acs.control = *config.u16(offset + 6);
    fn.acs = acs;
}

} // namespace

void walk_capabilities(const ConfigReader& config, size_t pointer_offset, PciFunction& fn) {
    auto first = config.u8(pointer_offset);
    if (!first)
        return;
    std::bitset<64> visited; // one bit per dword of the 256-byte space
    size_t from = pointer_offset;
    unsigned pointer = *first;
    for (;;) {
        // The low two bits of a pointer are reserved; the spec says software masks them.
        if (pointer & 0x3) {
            note(fn, fmt::format("capability pointer at {:#x} has reserved bits set ({:#x}); "
                                 "masked",
                                 from, pointer));
            pointer &= ~0x3u;
        }
        if (pointer == 0)
            return;
        if (pointer < first_capability) {
            note(fn, fmt::format("capability pointer {:#x} at {:#x} points into the header; "
                                 "list ends there",
                                 pointer, from));
            return;
        }
        if (!config.has(pointer, 2)) {
            note(fn, fmt::format("capability pointer {:#x} at {:#x} points past the {} readable "
                                 "bytes; list ends there",
                                 pointer, from, config.size()));
            return;
        }
        if (visited[pointer / 4]) {
            note(fn, fmt::format("capability pointer {:#x} at {:#x} loops back to a capability "
                                 "already listed; list ends there",
                                 pointer, from));
            return;
        }
        visited.set(pointer / 4);
        uint8_t id = *config.u8(pointer);
        if (id == 0xff) {
            // All ones: the read failed or the device stopped answering; nothing after is real.
            note(fn, fmt::format("capability id 0xff at {:#x}: list broken there", pointer));
            return;
        }
        fn.capabilities.push_back(inventory::PciCapability{
            id, static_cast<uint16_t>(pointer), false, std::string(capability_name(id))});
        switch (id) {
        case cap_msi:
            decode_msi(config, pointer, fn);
            break;
        case cap_msix:
            decode_msix(config, pointer, fn);
            break;
        case cap_pcie:
            decode_pcie(config, pointer, fn);
            break;
        case cap_ssvid:
            decode_ssvid(config, pointer, fn);
            break;
        default:
            break;
        }
        from = pointer + 1;
        pointer = *config.u8(pointer + 1);
    }
}

void walk_extended_capabilities(const ConfigReader& config, PciFunction& fn) {
    std::bitset<1024> visited; // one bit per dword of the 4096-byte space
    size_t from = 0;
    size_t pointer = first_extended;
    for (;;) {
        if (pointer < first_extended) {
            note(fn, fmt::format("extended capability pointer {:#x} at {:#x} points below 0x100; "
                                 "list ends there",
                                 pointer, from));
            return;
        }
        if (!config.has(pointer, 4)) {
            note(fn, fmt::format("extended capability pointer {:#x} at {:#x} points past the {} "
                                 "readable bytes; list ends there",
                                 pointer, from, config.size()));
            return;
        }
        if (visited[pointer / 4]) {
            note(fn, fmt::format("extended capability pointer {:#x} at {:#x} loops back to a "
                                 "capability already listed; list ends there",
                                 pointer, from));
            return;
        }
        visited.set(pointer / 4);
        uint32_t header = *config.u32(pointer);
        // An all-zero header means "no extended capabilities" (at 0x100) or the end; all ones is
        // a failed read.
        if (header == 0)
            return;
        if (header == 0xffffffff) {
            note(fn, fmt::format("extended capability header at {:#x} reads all ones: list "
                                 "broken there",
                                 pointer));
            return;
        }
        uint16_t id = static_cast<uint16_t>(header & 0xffff);
        fn.capabilities.push_back(inventory::PciCapability{
            id, static_cast<uint16_t>(pointer), true, std::string(extended_capability_name(id))});
        if (id == ext_cap_acs)
            decode_acs(config, pointer, fn);
        size_t next = (header >> 20) & ~size_t{0x3}; // bits 1:0 reserved, masked as specified
        if (next == 0)
            return;
        from = pointer + 2;
        pointer = next;
    }
}

} // namespace jailconf::scan::pci
