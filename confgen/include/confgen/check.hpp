// Semantic checks of a loaded system (the JC-* rules beyond the schema): overlaps, ownership,
// alignment, arch applicability. Every finding is reported, not just the first.
#pragma once

#include "confgen/diagnostics.hpp"
#include "confgen/model.hpp"

namespace jailconf {

void check_system(const System& system, Diagnostics& diags);

} // namespace jailconf
