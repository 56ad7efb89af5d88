// The YAML view of the model: writes a System in the jailconf/1 format, canonical and stable
// (addresses in hex, sizes with K/M/G suffixes where exact), so that loading it gives the same
// model back.
#pragma once

#include <string>
#include <vector>

#include "confgen/model.hpp"

namespace jailconf {

std::string to_yaml(const System& system);
// The same with an `include:` line naming further files (paths as written, e.g. cells/rt.yaml).
std::string to_yaml(const System& system, const std::vector<std::string>& includes);
// A file for `include:`: only cells and links.
std::string to_yaml_fragment(const std::vector<Cell>& cells, const std::vector<Link>& links);

} // namespace jailconf
