// Properties listing providers as `<&phandle arg...>` groups whose argument count the provider
// gives in a #<kind>-cells property (clocks, resets, power-domains, iommus, memory-region).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "scan/dt/dt_index.hpp"

namespace jailconf::scan::dt {

struct PhandleRef {
    uint32_t node = no_node;
    std::vector<uint32_t> args;
};

inline constexpr size_t max_phandle_refs = 1024;

// `cells_name` empty: no arguments. False with `why` set at the first reference that cannot be
// read; `out` then holds the ones before it. A phandle of 0 is an empty slot and skipped.
bool phandle_list(const Index& index, uint32_t n, std::string_view property,
                  std::string_view cells_name, std::vector<PhandleRef>& out, std::string& why);

} // namespace jailconf::scan::dt
