// Combining the partial inventories of the individual scanners into one.
#pragma once

#include "confgen/inventory.hpp"

namespace jailconf::scan {

struct Parts {
    inventory::Inventory procfs;
    inventory::Inventory pci;
    inventory::Inventory acpi;
    inventory::Inventory device_tree;
};

// Firmware (device tree, then ACPI) is authoritative for hardware ids and addresses; procfs adds
// Linux's CPU numbering and online state, the address map and, without a device tree, the RAM.
inventory::Inventory merge(Parts parts);

// Machine-level warnings that no single scanner can judge (no IOMMU at all, a VM, ...).
void add_machine_warnings(inventory::Inventory& inv);

} // namespace jailconf::scan
