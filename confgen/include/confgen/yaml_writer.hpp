// The YAML view of the model: writes a System in the jailconf/1 format, canonical and stable
// (addresses in hex, sizes with K/M/G suffixes where exact), so that loading it gives the same
// model back.
#pragma once

#include <string>

#include "confgen/model.hpp"

namespace jailconf {

std::string to_yaml(const System& system);

} // namespace jailconf
