// Reader of the flattened device tree format (versions 16 and 17): every read is bounds-checked
// and every structural rule enforced, so a malformed blob gives a ScanError naming the offending
// byte instead of a crash or a half-built tree.
#pragma once

#include <string>
#include <string_view>

#include "confgen/expected.hpp"
#include "confgen/scan_error.hpp"
#include "fdt/fdt_format.hpp"
#include "scan/dt/dt_tree.hpp"

namespace jailconf::scan::dt {

Expected<Tree, ScanError> read_fdt(std::string_view blob, const std::string& file);

} // namespace jailconf::scan::dt
