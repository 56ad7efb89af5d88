// A YAML file turned into a JSON value (for schema validation and model building) plus a map from
// JSON pointers to the YAML locations they came from.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "confgen/diagnostics.hpp"

namespace jailconf::yaml {

class SourceMap {
  public:
    explicit SourceMap(std::string file) : file_(std::move(file)) {}

    void set_value(const std::string& pointer, uint32_t line, uint32_t column);
    void set_key(const std::string& pointer, uint32_t line, uint32_t column);
    // Location of the value at `pointer`; falls back to the nearest enclosing node.
    SourceLocation value(std::string_view pointer) const;
    // Location of the key naming the member at `pointer` (the value's location if unknown).
    SourceLocation key(std::string_view pointer) const;
    const std::string& file() const { return file_; }

  private:
    struct Pos {
        uint32_t line;
        uint32_t column;
    };
    SourceLocation lookup(const std::unordered_map<std::string, Pos>& map,
                          std::string_view pointer) const;
    std::string file_;
    std::unordered_map<std::string, Pos> values_;
    std::unordered_map<std::string, Pos> keys_;
};

struct Document {
    nlohmann::json root;
    SourceMap map;
};

// Appends a JSON-pointer token (escaping '~' and '/').
std::string pointer_append(std::string_view base, std::string_view token);
std::string pointer_append(std::string_view base, size_t index);

// Checks that `text` is non-empty UTF-8 without NUL bytes, parses it as YAML and converts it.
// Plain scalars are typed as in YAML 1.2's core schema restricted to what the format uses:
// decimal and 0x integers, true/false, null; everything else (and every quoted scalar) is a string.
// A file named *.json must be strict JSON first (JC-JSON-SYNTAX); then it is read the same way.
std::optional<Document> parse_document(std::string_view text, const std::string& file,
                                       Diagnostics& diags);
// The same with the format given: `json` checks strict JSON syntax first, whatever the name.
std::optional<Document> parse_document(std::string_view text, const std::string& file,
                                       Diagnostics& diags, bool json);

} // namespace jailconf::yaml
