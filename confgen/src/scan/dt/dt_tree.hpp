// The generic device tree both input forms build (a flattened blob, or the kernel's directory
// form): nodes with names and raw property bytes, and where each was read from. Interpretation
// (translation, interrupts, inventory facts) walks this tree and never the raw input.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jailconf::scan::dt {

inline constexpr uint32_t no_node = UINT32_MAX;

// Limits shared by both readers: far above any real tree (the largest kernel DTBs hold a few
// thousand nodes), low enough that a hostile input cannot exhaust memory or time.
inline constexpr uint32_t max_depth = 64;
inline constexpr uint32_t max_nodes = 1u << 16;
inline constexpr uint32_t max_properties = 1u << 19;
inline constexpr size_t max_name_length = 1024;

struct Property {
    std::string name;
    std::string value;              // raw bytes, big-endian cells as stored
    std::optional<uint64_t> offset; // of the FDT_PROP token in a blob
};

struct Node {
    std::string name; // "serial@9000000"; "" for the root
    uint32_t parent = no_node;
    uint32_t depth = 0;
    std::vector<uint32_t> children;
    // Properties are stored contiguously per node (a blob lists them before any subnode).
    uint32_t first_property = 0;
    uint32_t property_count = 0;
    std::optional<uint64_t> offset; // of the FDT_BEGIN_NODE token in a blob
};

struct MemReserve {
    uint64_t address = 0;
    uint64_t size = 0;
    uint64_t offset = 0; // of the entry in the blob
};

struct Tree {
    std::string file;        // the blob's name, or the directory it was read from
    std::vector<Node> nodes; // nodes[0] is the root; parents come before children
    std::vector<Property> properties;
    std::vector<MemReserve> memreserve;
};

} // namespace jailconf::scan::dt
