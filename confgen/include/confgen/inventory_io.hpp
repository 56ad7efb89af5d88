// Views of the inventory: YAML (what `confgen scan -o inventory.yaml` writes), JSON, and the
// reader `confgen generate --inventory` uses. Key names are documented in docs/inventory.md and
// are stable.
#pragma once

#include <string>
#include <string_view>

#include "confgen/expected.hpp"
#include "confgen/inventory.hpp"
#include "confgen/scan_error.hpp"

namespace jailconf::inventory {

inline constexpr std::string_view format_tag = "jailconf-inventory/1";

std::string to_yaml(const Inventory&);
std::string to_json(const Inventory&);
// Every key with its type, as Markdown tables (docs/inventory.md is generated from it).
std::string describe_keys();
// Reads what to_yaml or to_json wrote (JSON is YAML). Errors name the line and the key.
Expected<Inventory, ScanError> from_yaml(std::string_view text, const std::string& file);

} // namespace jailconf::inventory
