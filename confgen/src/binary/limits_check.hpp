// What compile() checks before it lays out any byte: exactly one root cell, names the format can
// carry and counts within limits.hpp. Everything else is left to the verifier, which runs on
// every blob produced.
#pragma once

#include <string>
#include <vector>

#include "confgen/model.hpp"

namespace jailconf::binary {

// Sorted, merged (overlapping or adjacent joined) inclusive ranges: the canonical form the
// descriptor stores for CPUs and interrupts. Expects first <= last in each (check_encodable).
std::vector<IdRange> canonical_ranges(const std::vector<IdRange>& ranges);

// Every reason the system cannot be encoded; empty when it can.
std::vector<std::string> check_encodable(const System& system);

} // namespace jailconf::binary
