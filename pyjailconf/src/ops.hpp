// Operations on a System that model.cpp attaches as methods; implemented in functions.cpp.
#pragma once

#include <vector>

#include "bindings.hpp"

namespace pyjailconf {

std::vector<jailconf::Diagnostic> check_model(const jailconf::System& system);
py::bytes compile_system_blob(const jailconf::System& system);
py::list compile_all_blobs(const jailconf::System& system);
std::string system_to_yaml(const jailconf::System& system);
std::string system_to_json(const jailconf::System& system);

} // namespace pyjailconf
