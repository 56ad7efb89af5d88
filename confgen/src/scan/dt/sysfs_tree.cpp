#include "scan/dt/sysfs_tree.hpp"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

namespace jailconf::scan::dt {
namespace {

std::optional<uint64_t> hex_prefix(std::string_view s) {
    uint64_t v = 0;
    size_t digits = 0;
    for (char c : s) {
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0)
            break;
        if (++digits > 16)
            return std::nullopt;
        v = v << 4 | uint64_t(d);
    }
    if (digits == 0)
        return std::nullopt;
    return v;
}

ScanError error(ScanError::Kind kind, std::string file, std::string message,
                std::string node = {}) {
    ScanError e = ScanError::of_file(kind, std::move(file), std::move(message));
    e.node = std::move(node);
    return e;
}

} // namespace

bool natural_node_less(std::string_view a, std::string_view b) {
    std::string_view abase = a.substr(0, a.find('@')), bbase = b.substr(0, b.find('@'));
    if (abase != bbase)
        return abase < bbase;
    std::string_view aunit = a.size() > abase.size() ? a.substr(abase.size() + 1) : "";
    std::string_view bunit = b.size() > bbase.size() ? b.substr(bbase.size() + 1) : "";
    auto av = hex_prefix(aunit), bv = hex_prefix(bunit);
    if (av && bv && *av != *bv)
        return *av < *bv;
    return a < b;
}

Expected<Tree, ScanError> read_sysfs_tree(const MachineFiles& files, std::string_view dir) {
    std::string root(dir);
    while (root.size() > 1 && root.back() == '/')
        root.pop_back();
    if (!files.is_directory(root))
        return Unexpected(error(ScanError::Kind::not_found, root,
                                fmt::format("no device tree directory in {}", files.describe())));
    Tree tree;
    tree.file = root;
    tree.nodes.push_back(Node{});
    size_t total_bytes = 0;
    // Work list of nodes still to read; each node's properties are read in one go so they stay
    // contiguous, and children are numbered when found, after their parent.
    std::vector<std::pair<uint32_t, std::string>> work{{0, root}};
    while (!work.empty()) {
        auto [n, dir_path] = std::move(work.back());
        work.pop_back();
        auto names = files.list(dir_path);
        if (!names)
            return Unexpected(names.error());
        std::sort(names->begin(), names->end(), [](const std::string& a, const std::string& b) {
            return natural_node_less(a, b);
        });
        std::vector<std::string> subdirs;
        tree.nodes[n].first_property = uint32_t(tree.properties.size());
        for (const std::string& name : *names) {
            std::string path = dir_path;
            path += '/';
            path += name;
            if (files.is_directory(path)) {
                subdirs.push_back(name);
                continue;
            }
            if (tree.properties.size() == max_properties)
                return Unexpected(error(ScanError::Kind::too_large, path,
                                        fmt::format("more than {} properties", max_properties)));
            auto value = files.read(path);
            if (!value)
                return Unexpected(value.error());
            total_bytes += value->size();
            if (total_bytes > max_sysfs_bytes)
                return Unexpected(
                    error(ScanError::Kind::too_large, path,
                          fmt::format("device tree larger than {} bytes", max_sysfs_bytes)));
            tree.properties.push_back(Property{name, std::move(*value), std::nullopt});
            ++tree.nodes[n].property_count;
        }
        uint32_t depth = tree.nodes[n].depth + 1;
        if (!subdirs.empty() && depth > max_depth)
            return Unexpected(error(ScanError::Kind::malformed, dir_path,
                                    fmt::format("nodes nested deeper than {}", max_depth)));
        // Pushed in reverse so the work list reads siblings in order.
        for (auto it = subdirs.rbegin(); it != subdirs.rend(); ++it) {
            if (tree.nodes.size() == max_nodes)
                return Unexpected(error(ScanError::Kind::too_large, dir_path,
                                        fmt::format("more than {} nodes", max_nodes)));
            Node child;
            child.name = *it;
            child.parent = n;
            child.depth = depth;
            uint32_t index = uint32_t(tree.nodes.size());
            tree.nodes.push_back(std::move(child));
            work.emplace_back(index, dir_path + "/" + *it);
        }
        // Children were numbered in reverse; record them in sibling order.
        auto& children = tree.nodes[n].children;
        for (size_t i = 0; i < subdirs.size(); ++i)
            children.push_back(uint32_t(tree.nodes.size() - 1 - i));
    }
    return tree;
}

} // namespace jailconf::scan::dt
