// The kernel's directory form of the device tree (/sys/firmware/devicetree/base): a directory
// per node, a file per property holding its raw bytes. Builds the same Tree as the blob reader,
// without byte offsets (origins name the node) and without /memreserve/ (not exported there).
#pragma once

#include <string_view>

#include "confgen/expected.hpp"
#include "confgen/machine_files.hpp"
#include "confgen/scan_error.hpp"
#include "scan/dt/dt_tree.hpp"

namespace jailconf::scan::dt {

inline constexpr size_t max_sysfs_bytes = 64u << 20;

Expected<Tree, ScanError> read_sysfs_tree(const MachineFiles& files, std::string_view dir);

// Sibling order of the directory form: base name, then unit address numerically, so cpu@2 comes
// before cpu@10 as in the blob the firmware wrote.
bool natural_node_less(std::string_view a, std::string_view b);

} // namespace jailconf::scan::dt
