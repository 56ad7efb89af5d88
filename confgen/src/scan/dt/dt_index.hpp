// Look-ups over a Tree, built once so interpretation stays linear in the tree size: node paths,
// the phandle index, and typed property access (cells, strings, string lists).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "confgen/inventory.hpp"
#include "scan/dt/dt_tree.hpp"

namespace jailconf::scan::dt {

class Index {
  public:
    explicit Index(const Tree& tree);

    const Tree& tree() const { return tree_; }
    const Node& node(uint32_t n) const { return tree_.nodes[n]; }
    uint32_t size() const { return uint32_t(tree_.nodes.size()); }
    const std::string& path(uint32_t n) const { return paths_[n]; }

    const Property* prop(uint32_t n, std::string_view name) const;
    bool has(uint32_t n, std::string_view name) const { return prop(n, name) != nullptr; }
    std::optional<uint32_t> u32(uint32_t n, std::string_view name) const;
    // The first string of a string property ("" when absent or not a string).
    std::string string(uint32_t n, std::string_view name) const;
    std::vector<std::string> strings(uint32_t n, std::string_view name) const;
    bool compatible_with(uint32_t n, std::string_view compatible) const;
    // `status` normalised: "okay" when absent or "ok".
    std::string status(uint32_t n) const;
    bool enabled(uint32_t n) const { return status(n) == "okay"; }

    // #address-cells / #size-cells a node gives its children (2 and 1 when absent, as the
    // specification says).
    uint32_t address_cells(uint32_t n) const;
    uint32_t size_cells(uint32_t n) const;

    std::optional<uint32_t> by_phandle(uint32_t phandle) const;
    // An absolute path, or an alias name optionally followed by "/more/path".
    std::optional<uint32_t> find(std::string_view path) const;
    uint32_t child(uint32_t n, std::string_view name) const; // no_node when absent

    inventory::Origin origin(uint32_t n) const;
    // Problems of the tree itself found while indexing (duplicate phandles).
    const std::vector<std::string>& problems() const { return problems_; }

  private:
    const Tree& tree_;
    std::vector<std::string> paths_;
    std::unordered_map<uint32_t, uint32_t> phandles_;
    std::vector<std::string> problems_;
};

// Node name without the unit address: "serial" for "serial@9000000".
std::string_view base_name(std::string_view name);

} // namespace jailconf::scan::dt
