// `confgen generate` without a request: the system configuration for a scanned machine, with the
// hypervisor's memory reserved and a root cell confined to what the machine really has.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "confgen/expected.hpp"
#include "confgen/inventory.hpp"
#include "confgen/model.hpp"

namespace jailconf {

struct GenerateOptions {
    uint64_t hv_memory_size = 64ull << 20;
    std::optional<uint64_t> hv_memory_phys; // default: the top of the highest RAM range that fits
    std::string platform_name;              // default: from the inventory's model
};

struct GenerateError {
    std::string message;
    std::string fix;
};

struct GeneratedSystem {
    System system;
    // What was deliberately left out of the root cell, or assumed, one line each.
    std::vector<std::string> notes;
};

Expected<GeneratedSystem, GenerateError> generate_root_system(const inventory::Inventory& inv,
                                                              const GenerateOptions& options);

} // namespace jailconf
