// `confgen scan`: the hardware inventory of a machine, from its live files, a snapshot, a
// directory copy, a device-tree blob or a directory of raw ACPI tables.
#pragma once

#include <string>

#include "confgen/expected.hpp"
#include "confgen/inventory.hpp"
#include "confgen/machine_files.hpp"
#include "confgen/scan_error.hpp"

namespace jailconf {

struct ScanOptions {
    // pci.ids of the machine running the scan (names only; absent means no names).
    std::string pci_ids_path = "/usr/share/misc/pci.ids";
};

// Everything: procfs, PCI, ACPI tables and the device tree, whichever the machine has.
Expected<inventory::Inventory, ScanError> scan_machine(const MachineFiles& files,
                                                       const ScanOptions& options = {});
// A flattened device tree file alone.
Expected<inventory::Inventory, ScanError> scan_dtb_file(const std::string& path);
// Every file in `dir` that holds an ACPI table (e.g. `acpidump -b` output), by its signature.
Expected<inventory::Inventory, ScanError> scan_acpi_directory(const std::string& dir);

} // namespace jailconf
