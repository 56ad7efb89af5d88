// The JSON view of the model: the same document as the YAML view (same keys, same order, same
// schema), written as JSON with addresses and sizes as plain integers. The loader reads it back
// (load_system on a .json file), so both views give the same System.
#pragma once

#include <string>

#include "confgen/model.hpp"

namespace jailconf {

// Canonical and stable: two-space indentation, keys in the YAML writer's order, a final newline.
std::string to_json(const System& system);

} // namespace jailconf
