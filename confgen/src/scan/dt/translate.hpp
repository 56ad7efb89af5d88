// Address translation: a `reg` address is in its parent bus's address space; each ancestor's
// `ranges` maps it one level up until the root, whose space is the CPU physical address space.
// Empty `ranges` is the identity; an ancestor without `ranges` ends translation (the address is
// local to that bus, e.g. an I2C address).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "confgen/inventory.hpp"
#include "scan/dt/cells.hpp"
#include "scan/dt/dt_index.hpp"

namespace jailconf::scan::dt {

struct RegEntry {
    u128 address = 0; // in the parent bus's address space, as written
    u128 size = 0;
};

// The raw `reg` entries of a node, read with the parent's #address-cells / #size-cells.
// False (and `why` set) when the property does not fit those sizes.
bool read_reg(const Index& index, uint32_t node, std::vector<RegEntry>& out, std::string& why);

// An address in the child address space of `bus` (the space its children's `reg` use) as a CPU
// physical address; nullopt with `why` set when some ancestor cannot translate it.
std::optional<uint64_t> translate(const Index& index, uint32_t bus, u128 address, std::string& why);

// `reg` of `node` translated; entries that cannot be translated are left out and explained in
// `notes`.
std::vector<inventory::Region> translated_regs(const Index& index, uint32_t node,
                                               std::vector<std::string>& notes);

} // namespace jailconf::scan::dt
