// Navigation of the JSON Schema along a document path, for turning validation errors into
// helpful messages (allowed keys, enum values, the description of the expected value).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace jailconf::yaml {

struct SchemaInfo {
    std::string title;       // of the property, e.g. "Register window size"
    std::string description; // of the property
    std::string format_help; // of the referenced definition, e.g. how to write a size
    std::string type;        // JSON Schema "type" when it is a single one
    std::vector<std::string> allowed_keys;
    std::vector<std::string> enum_values;
};

// `tokens` are object keys or array indices (as decimal strings) from the root of `schema_root`
// (which may start with a `$ref`). Unknown paths give an empty SchemaInfo.
SchemaInfo schema_info_at(const nlohmann::json& schema_root,
                          const std::vector<std::string>& tokens);

} // namespace jailconf::yaml
