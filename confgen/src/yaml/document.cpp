#include "yaml/document.hpp"

#include <fmt/format.h>
#include <unordered_set>

#include <yaml-cpp/yaml.h>

#include "yaml/json_syntax.hpp"
#include "yaml/numbers.hpp"
#include "yaml/text_checks.hpp"

namespace jailconf::yaml {
namespace {

// Bounds on outside input: aliases can make a small file expand into a huge tree, and the
// schema validator's regexes recurse per character.
constexpr size_t max_depth = 64;
constexpr size_t max_nodes = 2'000'000;
constexpr size_t max_scalar_length = 4096;

SourceLocation location_of(const std::string& file, const YAML::Mark& mark) {
    if (mark.is_null())
        return SourceLocation{file, 0, 0};
    return SourceLocation{file, uint32_t(mark.line + 1), uint32_t(mark.column + 1)};
}

class Converter {
  public:
    Converter(const std::string& file, SourceMap& map, Diagnostics& diags)
        : file_(file), map_(map), diags_(diags) {}

    bool convert(const YAML::Node& node, const std::string& pointer, size_t depth,
                 nlohmann::json& out) {
        if (++nodes_ > max_nodes) {
            report("JC-YAML-SYNTAX", node, "the document expands to more than 2 million nodes",
                   "remove alias (*name) chains that multiply the document");
            return false;
        }
        if (depth > max_depth) {
            report("JC-YAML-SYNTAX", node, "nesting deeper than 64 levels",
                   "flatten the structure; the format never nests this deep");
            return false;
        }
        const YAML::Mark mark = node.Mark();
        if (!mark.is_null())
            map_.set_value(pointer, uint32_t(mark.line + 1), uint32_t(mark.column + 1));
        switch (node.Type()) {
        case YAML::NodeType::Undefined:
        case YAML::NodeType::Null:
            out = nullptr;
            return true;
        case YAML::NodeType::Scalar:
            return convert_scalar(node, out);
        case YAML::NodeType::Sequence: {
            out = nlohmann::json::array();
            size_t index = 0;
            for (const auto& item : node) {
                nlohmann::json child;
                if (!convert(item, pointer_append(pointer, index++), depth + 1, child))
                    return false;
                out.push_back(std::move(child));
            }
            return true;
        }
        case YAML::NodeType::Map:
            return convert_map(node, pointer, depth, out);
        }
        return true;
    }

  private:
    bool convert_map(const YAML::Node& node, const std::string& pointer, size_t depth,
                     nlohmann::json& out) {
        out = nlohmann::json::object();
        for (const auto& kv : node) {
            const YAML::Node& key = kv.first;
            if (!key.IsScalar()) {
                report("JC-YAML-SYNTAX", key, "a key must be a plain string",
                       "write keys as plain words, e.g. `name:`");
                return false;
            }
            const std::string& name = key.Scalar();
            if (out.contains(name)) {
                report("JC-YAML-SYNTAX", key, fmt::format("duplicate key '{}'", name),
                       "remove one of the two entries; YAML keys are unique within a mapping");
                return false;
            }
            std::string child_pointer = pointer_append(pointer, name);
            const YAML::Mark km = key.Mark();
            map_.set_key(child_pointer, uint32_t(km.line + 1), uint32_t(km.column + 1));
            nlohmann::json child;
            if (!convert(kv.second, child_pointer, depth + 1, child))
                return false;
            out[name] = std::move(child);
        }
        return true;
    }

    bool convert_scalar(const YAML::Node& node, nlohmann::json& out) {
        const std::string& text = node.Scalar();
        if (text.size() > max_scalar_length) {
            report("JC-SCHEMA-VALUE", node,
                   fmt::format("a value of {} characters is longer than the limit of {}",
                               text.size(), max_scalar_length),
                   "shorten the value");
            return false;
        }
        // Quoted scalars carry the non-specific tag "!": always strings.
        if (node.Tag() == "!") {
            out = text;
            return true;
        }
        if (text == "true" || text == "True" || text == "TRUE") {
            out = true;
            return true;
        }
        if (text == "false" || text == "False" || text == "FALSE") {
            out = false;
            return true;
        }
        if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
            out = nullptr;
            return true;
        }
        if (text.size() > 1 && text[0] == '-') {
            if (auto n = parse_integer_literal(std::string_view(text).substr(1)); n && *n) {
                out = -int64_t(**n > uint64_t(INT64_MAX) ? uint64_t(INT64_MAX) : **n);
                return true;
            }
        }
        if (auto n = parse_integer_literal(text)) {
            if (!*n) {
                report("JC-NUMBER", node, n->error(), "use a value below 2^64");
                return false;
            }
            out = **n;
            return true;
        }
        out = text;
        return true;
    }

    void report(std::string_view rule, const YAML::Node& node, std::string message,
                std::string fix) {
        diags_.report(rule, location_of(file_, node.Mark()), std::move(message), std::move(fix));
    }

    const std::string& file_;
    SourceMap& map_;
    Diagnostics& diags_;
    size_t nodes_ = 0;
};

} // namespace

void SourceMap::set_value(const std::string& pointer, uint32_t line, uint32_t column) {
    values_[pointer] = Pos{line, column};
}

void SourceMap::set_key(const std::string& pointer, uint32_t line, uint32_t column) {
    keys_[pointer] = Pos{line, column};
}

SourceLocation SourceMap::lookup(const std::unordered_map<std::string, Pos>& map,
                                 std::string_view pointer) const {
    std::string p(pointer);
    for (;;) {
        if (auto it = map.find(p); it != map.end())
            return SourceLocation{file_, it->second.line, it->second.column};
        if (&map == &keys_)
            return value(pointer);
        if (p.empty())
            return SourceLocation{file_, 1, 1};
        p.erase(p.rfind('/'));
    }
}

SourceLocation SourceMap::value(std::string_view pointer) const {
    return lookup(values_, pointer);
}

SourceLocation SourceMap::key(std::string_view pointer) const {
    return lookup(keys_, pointer);
}

std::string pointer_append(std::string_view base, std::string_view token) {
    std::string out(base);
    out += '/';
    for (char c : token) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

std::string pointer_append(std::string_view base, size_t index) {
    return fmt::format("{}/{}", base, index);
}

std::optional<Document> parse_document(std::string_view text, const std::string& file,
                                       Diagnostics& diags) {
    return parse_document(text, file, diags, is_json_name(file));
}

std::optional<Document> parse_document(std::string_view text, const std::string& file,
                                       Diagnostics& diags, bool json) {
    if (!check_text(text, file, diags))
        return std::nullopt;
    std::string source(text);
    if (json) {
        auto json = check_json_syntax(text, file, diags);
        if (!json)
            return std::nullopt;
        source = std::move(*json);
    }
    YAML::Node node;
    try {
        node = YAML::Load(source);
    } catch (const YAML::Exception& e) {
        // Valid JSON the YAML reader refuses: yaml-cpp rejects \u escapes of surrogate pairs.
        if (json)
            diags.report("JC-JSON-SYNTAX", location_of(file, e.mark), e.msg,
                         "the reader cannot take this valid JSON; the known case is a \\u "
                         "escape of a surrogate pair: write that character as UTF-8");
        else
            diags.report("JC-YAML-SYNTAX", location_of(file, e.mark), e.msg,
                         "fix the YAML syntax at or just before this position");
        return std::nullopt;
    }
    Document doc{nullptr, SourceMap(file)};
    Converter converter(file, doc.map, diags);
    try {
        if (!converter.convert(node, "", 0, doc.root))
            return std::nullopt;
    } catch (const YAML::Exception& e) {
        diags.report("JC-YAML-SYNTAX", location_of(file, e.mark), e.msg,
                     "fix the YAML syntax at or just before this position");
        return std::nullopt;
    }
    return doc;
}

} // namespace jailconf::yaml
