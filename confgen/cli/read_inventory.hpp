// `--inventory FILE` for the verbs that take one: the inventory, or the exit code after the
// reason was printed (3 unreadable, 1 malformed).
#pragma once

#include <string>

#include "confgen/expected.hpp"
#include "confgen/inventory.hpp"

namespace confgen {

jailconf::Expected<jailconf::inventory::Inventory, int> read_inventory(const std::string& path);

} // namespace confgen
