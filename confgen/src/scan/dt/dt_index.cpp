#include "scan/dt/dt_index.hpp"

#include <fmt/format.h>

#include "fdt/fdt_format.hpp"

namespace jailconf::scan::dt {

Index::Index(const Tree& tree) : tree_(tree) {
    paths_.resize(tree.nodes.size());
    for (uint32_t n = 0; n < tree.nodes.size(); ++n) {
        const Node& node = tree.nodes[n];
        // Parents come first, so their path is already known.
        if (node.parent == no_node)
            paths_[n] = "/";
        else if (node.parent == 0)
            paths_[n] = "/" + node.name;
        else
            paths_[n] = paths_[node.parent] + "/" + node.name;
        for (const char* name : {"phandle", "linux,phandle"}) {
            auto ph = u32(n, name);
            if (!ph || *ph == 0 || *ph == 0xffffffff)
                continue;
            auto [it, inserted] = phandles_.emplace(*ph, n);
            if (!inserted && it->second != n)
                problems_.push_back(fmt::format("phandle {:#x} is used by both {} and {}", *ph,
                                                paths_[it->second], paths_[n]));
            break;
        }
    }
}

const Property* Index::prop(uint32_t n, std::string_view name) const {
    const Node& node = tree_.nodes[n];
    for (uint32_t i = 0; i < node.property_count; ++i) {
        const Property& p = tree_.properties[node.first_property + i];
        if (p.name == name)
            return &p;
    }
    return nullptr;
}

std::optional<uint32_t> Index::u32(uint32_t n, std::string_view name) const {
    const Property* p = prop(n, name);
    if (!p || p->value.size() != 4)
        return std::nullopt;
    return fdt::be32(p->value, 0);
}

std::string Index::string(uint32_t n, std::string_view name) const {
    const Property* p = prop(n, name);
    if (!p)
        return {};
    std::string_view v = p->value;
    return std::string(v.substr(0, v.find('\0')));
}

std::vector<std::string> Index::strings(uint32_t n, std::string_view name) const {
    std::vector<std::string> out;
    const Property* p = prop(n, name);
    if (!p)
        return out;
    std::string_view v = p->value;
    while (!v.empty()) {
        size_t nul = v.find('\0');
        out.emplace_back(v.substr(0, nul));
        if (nul == std::string_view::npos)
            break;
        v.remove_prefix(nul + 1);
    }
    return out;
}

bool Index::compatible_with(uint32_t n, std::string_view compatible) const {
    const Property* p = prop(n, "compatible");
    if (!p)
        return false;
    std::string_view v = p->value;
    while (!v.empty()) {
        size_t nul = v.find('\0');
        if (v.substr(0, nul) == compatible)
            return true;
        if (nul == std::string_view::npos)
            break;
        v.remove_prefix(nul + 1);
    }
    return false;
}

std::string Index::status(uint32_t n) const {
    if (!has(n, "status"))
        return "okay";
    std::string s = string(n, "status");
    return s == "ok" ? "okay" : s;
}

uint32_t Index::address_cells(uint32_t n) const {
    return u32(n, "#address-cells").value_or(2);
}
uint32_t Index::size_cells(uint32_t n) const {
    return u32(n, "#size-cells").value_or(1);
}

std::optional<uint32_t> Index::by_phandle(uint32_t phandle) const {
    auto it = phandles_.find(phandle);
    if (it == phandles_.end())
        return std::nullopt;
    return it->second;
}

uint32_t Index::child(uint32_t n, std::string_view name) const {
    for (uint32_t c : tree_.nodes[n].children)
        if (tree_.nodes[c].name == name)
            return c;
    // A path may leave out the unit address when only one child has that base name.
    uint32_t found = no_node;
    for (uint32_t c : tree_.nodes[n].children)
        if (base_name(tree_.nodes[c].name) == name) {
            if (found != no_node)
                return no_node;
            found = c;
        }
    return found;
}

std::optional<uint32_t> Index::find(std::string_view path) const {
    if (tree_.nodes.empty())
        return std::nullopt;
    std::string resolved;
    if (!path.starts_with('/')) {
        size_t slash = path.find('/');
        uint32_t aliases = child(0, "aliases");
        if (aliases == no_node || !has(aliases, std::string(path.substr(0, slash))))
            return std::nullopt;
        resolved = string(aliases, std::string(path.substr(0, slash)));
        if (!resolved.starts_with('/'))
            return std::nullopt; // aliases must name absolute paths: no alias chains
        if (slash != std::string_view::npos)
            resolved += path.substr(slash);
        path = resolved;
    }
    uint32_t n = 0;
    while (!path.empty()) {
        path.remove_prefix(1);
        size_t slash = path.find('/');
        std::string_view part = path.substr(0, slash);
        if (!part.empty()) {
            n = child(n, part);
            if (n == no_node)
                return std::nullopt;
        }
        path = slash == std::string_view::npos ? std::string_view() : path.substr(slash);
    }
    return n;
}

inventory::Origin Index::origin(uint32_t n) const {
    return inventory::Origin{tree_.file, tree_.nodes[n].offset, paths_[n]};
}

std::string_view base_name(std::string_view name) {
    return name.substr(0, name.find('@'));
}

} // namespace jailconf::scan::dt
