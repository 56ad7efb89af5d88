// The two capability lists of a config space: the standard one (pointer at 0x34, or 0x14 on a
// CardBus bridge) and the extended one (from 0x100). Walks are loop-safe (a visited set over
// dword slots, so each list ends after at most 48 resp. 960 entries) and bounds-checked; a bad
// pointer ends the walk with a note on the function.
#pragma once

#include <cstddef>

#include "confgen/inventory.hpp"
#include "scan/pci/config_reader.hpp"

namespace jailconf::scan::pci {

// Appends to fn.capabilities and fills msi, msix, pcie_type and (bridges) the subsystem ids
// from the Bridge SSVID capability.
void walk_capabilities(const ConfigReader& config, size_t pointer_offset,
                       inventory::PciFunction& fn);

// Appends the extended capabilities and fills acs. Needs the 4096-byte image.
void walk_extended_capabilities(const ConfigReader& config, inventory::PciFunction& fn);

} // namespace jailconf::scan::pci
