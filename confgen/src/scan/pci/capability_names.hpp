// Names of PCI capability ids (PCI Local Bus 3.0 and PCIe Base 6.0 id tables), for people
// reading an inventory. Unknown ids get "" (the id is still recorded).
#pragma once

#include <cstdint>
#include <string_view>

namespace jailconf::scan::pci {

std::string_view capability_name(uint8_t id);
std::string_view extended_capability_name(uint16_t id);
// PCIe capability "Device/Port Type" field -> inventory::PciFunction::pcie_type.
std::string_view pcie_port_type_name(uint8_t type);

} // namespace jailconf::scan::pci
