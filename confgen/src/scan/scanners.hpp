// The scanners, one per source of facts. Each returns a partial inventory holding only what its
// source says; scan/scan_machine.cpp merges them. Each parser of outside input is bounded and
// returns a ScanError (file, offset or node, message, fix) for malformed input; none throws.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "confgen/expected.hpp"
#include "confgen/inventory.hpp"
#include "confgen/machine_files.hpp"
#include "confgen/scan_error.hpp"

namespace jailconf::scan {

using inventory::Inventory;

// Device tree: a flattened blob (a .dtb file; `file` names it in origins and errors) ...
Expected<Inventory, ScanError> scan_device_tree_blob(std::string_view blob,
                                                     const std::string& file);
// ... or the kernel's directory form (/sys/firmware/devicetree/base).
Expected<Inventory, ScanError>
scan_device_tree_directory(const MachineFiles& files,
                           std::string_view dir = "/sys/firmware/devicetree/base");

// ACPI: raw tables, identified by the signature in their header, not by file name.
struct AcpiTableFile {
    std::string file;  // origin: "/sys/firmware/acpi/tables/APIC", or a path given by the user
    std::string bytes; // the whole table
};
Expected<Inventory, ScanError> scan_acpi_tables(const std::vector<AcpiTableFile>& tables);

// PCI functions from /sys/bus/pci/devices (config space, resource, irq, iommu_group, driver).
// Names come from the pci.ids database at `pci_ids_path` when that file exists.
Expected<Inventory, ScanError> scan_pci_sysfs(const MachineFiles& files,
                                              const std::string& pci_ids_path);

// /proc/iomem, /proc/ioports, /proc/cpuinfo, /proc/cmdline, kernel release,
// /sys/devices/system/cpu, DMI identification.
Expected<Inventory, ScanError> scan_procfs(const MachineFiles& files);

} // namespace jailconf::scan
