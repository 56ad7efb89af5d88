// sysfs `resource` of a PCI function: one "0x<start> 0x<end> 0x<flags>" line per resource, in
// CPU physical addresses as the kernel assigned them (BARs 0-5, the ROM as line 6, then bridge
// windows or SR-IOV BARs). It is the only place a scan can learn BAR sizes without writing to
// the device.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "confgen/expected.hpp"
#include "confgen/inventory.hpp"
#include "confgen/scan_error.hpp"
#include "scan/pci/config_space.hpp"

namespace jailconf::scan::pci {

// Linux IORESOURCE_* flag bits as sysfs prints them.
inline constexpr uint64_t resource_io = 0x100;
inline constexpr uint64_t resource_mem = 0x200;
inline constexpr uint64_t resource_prefetch = 0x2000;
inline constexpr uint64_t resource_mem64 = 0x100000;
inline constexpr uint64_t resource_unset = 0x20000000;

struct SysfsResource {
    uint64_t start = 0;
    uint64_t end = 0; // inclusive
    uint64_t flags = 0;
    bool operator==(const SysfsResource&) const = default;
};

// Malformed line -> error with the line's offset. At most 64 lines.
Expected<std::vector<SysfsResource>, ScanError> parse_sysfs_resource(std::string_view text,
                                                                     const std::string& file);

// The implemented BARs (lines 0-5) and the ROM (line 6, index 6) of the function, each checked
// against the type bits of the config-space BAR of the same index; a disagreement is a note on
// `fn`, not an error (the kernel's view wins: it is what was assigned).
std::vector<inventory::PciBar> bars_from_resource(const std::vector<SysfsResource>& lines,
                                                  const std::vector<ConfigBar>& config_bars,
                                                  inventory::PciFunction& fn);

// BARs as config space alone shows them (no sizes), for when `resource` is missing.
std::vector<inventory::PciBar> bars_from_config(const std::vector<ConfigBar>& config_bars);

} // namespace jailconf::scan::pci
