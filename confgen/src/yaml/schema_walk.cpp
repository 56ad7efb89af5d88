#include "yaml/schema_walk.hpp"

#include <algorithm>

namespace jailconf::yaml {
namespace {

using nlohmann::json;

const json* resolve_ref(const json& root, const json* node) {
    for (int hops = 0; node && node->is_object() && node->contains("$ref") && hops < 16; ++hops) {
        const std::string& ref = (*node)["$ref"].get_ref<const std::string&>();
        if (!ref.starts_with("#/"))
            return nullptr;
        node = &root;
        size_t pos = 2;
        while (node && pos <= ref.size()) {
            size_t next = ref.find('/', pos);
            std::string part =
                ref.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
            node = node->is_object() && node->contains(part) ? &(*node)[part] : nullptr;
            if (next == std::string::npos)
                break;
            pos = next + 1;
        }
    }
    return node;
}

// The subschema for `token` below `node`, looking into anyOf branches.
const json* step(const json& root, const json* node, const std::string& token) {
    node = resolve_ref(root, node);
    if (!node || !node->is_object())
        return nullptr;
    if (node->contains("properties") && (*node)["properties"].contains(token))
        return &(*node)["properties"][token];
    if (node->contains("items") && !token.empty() && std::ranges::all_of(token, ::isdigit))
        return &(*node)["items"];
    if (node->contains("anyOf"))
        for (const json& branch : (*node)["anyOf"])
            if (const json* found = step(root, &branch, token))
                return found;
    return nullptr;
}

std::string string_member(const json& node, const char* key) {
    return node.is_object() && node.contains(key) && node[key].is_string()
               ? node[key].get<std::string>()
               : std::string();
}

} // namespace

SchemaInfo schema_info_at(const json& schema_root, const std::vector<std::string>& tokens) {
    const json* node = &schema_root;
    for (const auto& token : tokens) {
        node = step(schema_root, node, token);
        if (!node)
            return {};
    }
    SchemaInfo info;
    info.title = string_member(*node, "title");
    info.description = string_member(*node, "description");
    const json* target = resolve_ref(schema_root, node);
    if (!target)
        return info;
    if (target != node)
        info.format_help = string_member(*target, "description");
    if (info.title.empty())
        info.title = string_member(*target, "title");
    info.type = string_member(*target, "type");
    if (target->contains("properties"))
        for (const auto& [key, _] : (*target)["properties"].items())
            info.allowed_keys.push_back(key);
    if (target->contains("enum"))
        for (const json& v : (*target)["enum"])
            if (v.is_string())
                info.enum_values.push_back(v.get<std::string>());
    if (target->contains("const") && (*target)["const"].is_string())
        info.enum_values.push_back((*target)["const"].get<std::string>());
    return info;
}

} // namespace jailconf::yaml
