// PCI configuration space as bytes -> typed facts. A pure function of the bytes and the name of
// the file they came from, so the scanner, the fuzzer and (later) the hypervisor's import code all
// decode config space the same way. Nothing here touches hardware: BAR sizes need writes to the
// BARs, so they come from elsewhere (sysfs `resource`, see sysfs_resource.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "confgen/expected.hpp"
#include "confgen/inventory.hpp"
#include "confgen/scan_error.hpp"

namespace jailconf::scan::pci {

// Sizes a sysfs `config` file can have: the 64-byte header (what an unprivileged reader gets),
// the 256-byte conventional space, the 4096-byte PCIe extended space.
inline constexpr size_t header_size = 64;
inline constexpr size_t conventional_size = 256;
inline constexpr size_t extended_size = 4096;

// A BAR as the config-space register describes it (type bits and the programmed address).
struct ConfigBar {
    uint8_t index = 0;
    bool io = false;
    bool is64 = false;
    bool prefetchable = false;
    uint64_t address = 0;
    bool operator==(const ConfigBar&) const = default;
};

struct ParsedConfig {
    // ids, class, revision, header type, subsystem, INTx, capabilities, MSI, MSI-X, ACS,
    // pcie_type, bridge bus numbers, notes; origin = `file`. Not filled: the BDF, BARs with sizes,
    // names, irq, parent, iommu_group, driver.
    inventory::PciFunction function;
    std::vector<ConfigBar> bars; // from the BAR registers (header types 0, 1 and 2)
    bool multi_function = false;
    bool truncated = false; // only the 64-byte header was readable
};

// Errors only when the bytes cannot be a config space at all (fewer than 64 bytes, more than
// 4096). Anything odd inside (a capability loop, a pointer into the header or past the end, an
// unknown header type, a reserved MSI-X BIR) becomes a note on the function, and parsing of
// that structure stops there: one strange device must not hide the rest of the machine.
Expected<ParsedConfig, ScanError> parse_config_space(std::string_view bytes,
                                                     const std::string& file);

} // namespace jailconf::scan::pci
