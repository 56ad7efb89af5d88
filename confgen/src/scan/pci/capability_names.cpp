#include "scan/pci/capability_names.hpp"

#include <array>
#include <utility>

namespace jailconf::scan::pci {
namespace {

// Index = capability id.
constexpr std::array<std::string_view, 0x16> standard = {
    "",         "PM",           "AGP",    "VPD",    "Slot ID",    "MSI",
    "Hot Swap", "PCI-X",        "HT",     "Vendor", "Debug Port", "CompactPCI CRC",
    "Hot-Plug", "Bridge SSVID", "AGP 8x", "Secure", "PCIe",       "MSI-X",
    "SATA",     "AF",           "EA",     "FPB",
};

// Index = extended capability id.
constexpr std::array<std::string_view, 0x35> extended = {
    "",                     // 0x00
    "AER",                  // 0x01
    "VC",                   // 0x02
    "DSN",                  // 0x03
    "Power Budgeting",      // 0x04
    "RCLD",                 // 0x05 root complex link declaration
    "RCILC",                // 0x06 root complex internal link control
    "RCEC",                 // 0x07 root complex event collector endpoint association
    "MFVC",                 // 0x08
    "VC9",                  // 0x09 VC when MFVC is present
    "RCRB",                 // 0x0a
    "VSEC",                 // 0x0b
    "CAC",                  // 0x0c
    "ACS",                  // 0x0d
    "ARI",                  // 0x0e
    "ATS",                  // 0x0f
    "SR-IOV",               // 0x10
    "MR-IOV",               // 0x11
    "Multicast",            // 0x12
    "PRI",                  // 0x13
    "",                     // 0x14 reserved (was AMD)
    "ReBAR",                // 0x15
    "DPA",                  // 0x16
    "TPH",                  // 0x17
    "LTR",                  // 0x18
    "Secondary PCIe",       // 0x19
    "PMUX",                 // 0x1a
    "PASID",                // 0x1b
    "LNR",                  // 0x1c
    "DPC",                  // 0x1d
    "L1 PM Substates",      // 0x1e
    "PTM",                  // 0x1f
    "M-PCIe",               // 0x20
    "FRS Queueing",         // 0x21
    "Readiness Time",       // 0x22
    "DVSEC",                // 0x23
    "VF ReBAR",             // 0x24
    "Data Link Feature",    // 0x25
    "16 GT/s",              // 0x26
    "Lane Margining",       // 0x27
    "Hierarchy ID",         // 0x28
    "NPEM",                 // 0x29
    "32 GT/s",              // 0x2a
    "Alternate Protocol",   // 0x2b
    "SFI",                  // 0x2c
    "Shadow Functions",     // 0x2d
    "DOE",                  // 0x2e
    "Device 3",             // 0x2f
    "IDE",                  // 0x30
    "64 GT/s",              // 0x31
    "Flit Logging",         // 0x32
    "Flit Performance",     // 0x33
    "Flit Error Injection", // 0x34
};

constexpr std::pair<uint8_t, std::string_view> port_types[] = {
    {0x0, "endpoint"},           {0x1, "legacy-endpoint"}, {0x4, "root-port"},
    {0x5, "upstream"},           {0x6, "downstream"},      {0x7, "pcie-to-pci-bridge"},
    {0x8, "pci-to-pcie-bridge"}, {0x9, "rc-endpoint"},     {0xa, "rc-event-collector"},
};

} // namespace

std::string_view capability_name(uint8_t id) {
    return id < standard.size() ? standard[id] : std::string_view{};
}

std::string_view extended_capability_name(uint16_t id) {
    return id < extended.size() ? extended[id] : std::string_view{};
}

std::string_view pcie_port_type_name(uint8_t type) {
    for (const auto& [value, name] : port_types)
        if (value == type)
            return name;
    return "unknown";
}

} // namespace jailconf::scan::pci
