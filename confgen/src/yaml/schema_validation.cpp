#include "yaml/schema_validation.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "confgen/embedded_kb.hpp"
#include "confgen/schema.hpp"
#include "util/spelling.hpp"
#include "yaml/schema_walk.hpp"

namespace jailconf::yaml {
namespace {

using nlohmann::json;

std::string_view schema_text(DocumentRole role) {
    if (role == DocumentRole::system || role == DocumentRole::fragment)
        return embedded_schema_json();
    if (role == DocumentRole::request)
        return embedded_request_schema_json();
    std::string_view name =
        role == DocumentRole::kb_rules ? "schema/rules.schema.json" : "schema/devices.schema.json";
    for (const auto& f : embedded_kb_files())
        if (f.path == name)
            return f.content;
    return {};
}

// The embedded schema is part of the program: a parse failure is a build defect, caught by the
// unit tests, so this throws rather than reporting a diagnostic.
struct CompiledSchema {
    explicit CompiledSchema(DocumentRole role) {
        json root = json::parse(schema_text(role));
        if (role == DocumentRole::fragment)
            document =
                json{{"definitions", root["definitions"]}, {"$ref", "#/definitions/fragment"}};
        else
            document = std::move(root);
        valijson::SchemaParser parser;
        valijson::adapters::NlohmannJsonAdapter adapter(document);
        parser.populateSchema(adapter, schema);
    }
    json document; // the schema as JSON, for messages
    valijson::Schema schema;
};

const CompiledSchema& schema_for(DocumentRole role) {
    static const CompiledSchema system(DocumentRole::system);
    static const CompiledSchema fragment(DocumentRole::fragment);
    static const CompiledSchema kb_rules(DocumentRole::kb_rules);
    static const CompiledSchema kb_data(DocumentRole::kb_data);
    static const CompiledSchema request(DocumentRole::request);
    switch (role) {
    case DocumentRole::system:
        return system;
    case DocumentRole::fragment:
        return fragment;
    case DocumentRole::kb_rules:
        return kb_rules;
    case DocumentRole::request:
        return request;
    case DocumentRole::kb_data:
        break;
    }
    return kb_data;
}

// valijson contexts look like {"<root>", "[cells]", "[0]"}.
std::vector<std::string> tokens_of(const std::vector<std::string>& context) {
    std::vector<std::string> tokens;
    for (const auto& c : context)
        if (c.size() >= 2 && c.front() == '[' && c.back() == ']')
            tokens.push_back(c.substr(1, c.size() - 2));
    return tokens;
}

std::string pointer_of(const std::vector<std::string>& tokens) {
    std::string p;
    for (const auto& t : tokens)
        p = pointer_append(p, t);
    return p;
}

const json* value_at(const json& root, const std::vector<std::string>& tokens) {
    const json* node = &root;
    for (const auto& t : tokens) {
        if (node->is_object() && node->contains(t))
            node = &(*node)[t];
        else if (node->is_array() && !t.empty() && std::ranges::all_of(t, ::isdigit) &&
                 std::stoul(t) < node->size())
            node = &(*node)[std::stoul(t)];
        else
            return nullptr;
    }
    return node;
}

std::string quoted_tail(const std::string& description) {
    // valijson ends messages about a named property with  'name'.
    size_t end = description.rfind('\'');
    if (end == std::string::npos || end == 0)
        return {};
    size_t begin = description.rfind('\'', end - 1);
    return begin == std::string::npos ? std::string()
                                      : description.substr(begin + 1, end - begin - 1);
}

std::string describe_value(const json& v) {
    if (v.is_string())
        return fmt::format("'{}'", v.get<std::string>());
    if (v.is_object())
        return "a mapping";
    if (v.is_array())
        return "a list";
    if (v.is_null())
        return "an empty value";
    return v.dump();
}

// valijson's wording for the constraint that failed, in the words of this tool.
std::string plain_detail(const std::string& d) {
    if (d.find("'pattern'") != std::string::npos)
        return "not of the expected form";
    if (d.find("'const'") != std::string::npos)
        return "not the expected value";
    if (d.find("uniqueness") != std::string::npos)
        return "an item is repeated";
    return d;
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items)
        out += (out.empty() ? "" : ", ") + i;
    return out;
}

std::string member_name(const std::vector<std::string>& tokens) {
    for (auto it = tokens.rbegin(); it != tokens.rend(); ++it)
        if (it->empty() || !std::ranges::all_of(*it, ::isdigit))
            return *it;
    return "document";
}

class ErrorMapper {
  public:
    ErrorMapper(const Document& doc, const json& schema, DocumentRole role, Diagnostics& diags)
        : doc_(doc), schema_(schema), role_(role), diags_(diags) {}

    void map(const std::vector<valijson::ValidationResults::Error>& errors) {
        // Only the deepest errors name the real problem; their ancestors just say "a child failed".
        std::map<std::vector<std::string>, std::vector<std::string>> by_path;
        for (const auto& e : errors)
            by_path[tokens_of(e.context)].push_back(e.description);
        for (const auto& entry : by_path) {
            const std::vector<std::string>& tokens = entry.first;
            bool has_deeper = std::ranges::any_of(by_path, [&](const auto& other) {
                return other.first.size() > tokens.size() &&
                       std::equal(tokens.begin(), tokens.end(), other.first.begin());
            });
            report_node(tokens, entry.second, has_deeper);
        }
    }

  private:
    // Unknown and missing keys are always real. A bad-value error on a node with errors below it
    // is an anyOf alternative that did not apply (e.g. "a count" when a list was given): the
    // errors below are the real ones.
    void report_node(const std::vector<std::string>& tokens,
                     const std::vector<std::string>& descriptions, bool has_deeper) {
        const std::string pointer = pointer_of(tokens);
        SchemaInfo info = schema_info_at(schema_, tokens);
        bool reported = false;
        for (const auto& d : descriptions) {
            if (d.find("'additionalProperties'") != std::string::npos) {
                report_unknown_key(pointer, quoted_tail(d), info);
                reported = true;
            } else if (d.starts_with("Missing required property")) {
                std::string key = quoted_tail(d);
                diags_.report(
                    "JC-SCHEMA-REQUIRED", doc_.map.value(pointer),
                    fmt::format("{} lacks the required key '{}'", describe_owner(tokens), key),
                    required_fix(tokens, key));
                reported = true;
            }
        }
        if (!reported && !has_deeper)
            report_bad_value(tokens, pointer, info, descriptions);
    }

    void report_unknown_key(const std::string& pointer, const std::string& key,
                            const SchemaInfo& owner) {
        static const std::vector<std::string> system_only = {"arch", "platform", "hypervisor"};
        SourceLocation loc = doc_.map.key(pointer_append(pointer, key));
        if (role_ == DocumentRole::fragment && pointer.empty() &&
            std::ranges::find(system_only, key) != system_only.end()) {
            diags_.report("JC-INCLUDE-CONTENT", loc,
                          fmt::format("'{}' is not allowed in an included file", key),
                          "move it to the system file; included files hold only cells and links");
            return;
        }
        std::vector<std::string_view> keys(owner.allowed_keys.begin(), owner.allowed_keys.end());
        std::string guess = closest_name(key, keys, default_max_edits(key));
        std::string message = fmt::format("unknown key '{}'", key);
        if (!guess.empty())
            message += fmt::format(" (did you mean '{}'?)", guess);
        diags_.report("JC-SCHEMA-UNKNOWN-KEY", loc, std::move(message),
                      guess.empty() ? fmt::format("allowed keys here: {}", join(owner.allowed_keys))
                                    : fmt::format("rename it to '{}'", guess));
    }

    void report_bad_value(const std::vector<std::string>& tokens, const std::string& pointer,
                          const SchemaInfo& info, const std::vector<std::string>& descriptions) {
        const json* value = value_at(doc_.root, tokens);
        std::string got = value ? describe_value(*value) : "the value";
        std::string what = info.title.empty()
                               ? fmt::format("'{}'", member_name(tokens))
                               : fmt::format("'{}' ({})", member_name(tokens), info.title);
        // anyOf alternatives each add an error; it is a type error only when no alternative
        // accepts the value's type at all.
        std::string detail;
        bool type_error = true;
        for (const auto& d : descriptions) {
            if (d.find("'type' constraint") != std::string::npos ||
                d.starts_with("Failed to validate"))
                continue;
            type_error = false;
            detail = plain_detail(d);
        }
        std::string fix;
        if (!info.enum_values.empty())
            fix = fmt::format("use one of: {}", join(info.enum_values));
        else if (!info.format_help.empty())
            fix = info.format_help;
        else
            fix = info.description;
        if (type_error && info.enum_values.empty()) {
            if (info.type == "boolean")
                fix = "write true or false";
            else if (info.type == "array")
                fix = "write a list, e.g. [a, b]; " + fix;
            else if (info.type == "object")
                fix = "write a mapping of keys; " + fix;
            diags_.report("JC-SCHEMA-TYPE", doc_.map.value(pointer),
                          fmt::format("{} has the wrong type: got {}", what, got), std::move(fix));
            return;
        }
        std::string message = fmt::format("invalid value {} for {}", got, what);
        if (!detail.empty() && info.enum_values.empty())
            message += fmt::format(": {}", detail);
        diags_.report("JC-SCHEMA-VALUE", doc_.map.value(pointer), std::move(message),
                      std::move(fix));
    }

    std::string describe_owner(const std::vector<std::string>& tokens) const {
        if (tokens.empty())
            return role_ == DocumentRole::system     ? "the system file"
                   : role_ == DocumentRole::fragment ? "the included file"
                   : role_ == DocumentRole::request  ? "the request"
                                                     : "the knowledge-base file";
        SchemaInfo info = schema_info_at(schema_, tokens);
        std::string name = member_name(tokens);
        return info.title.empty() ? fmt::format("'{}'", name)
                                  : fmt::format("'{}' ({})", name, info.title);
    }

    std::string required_fix(const std::vector<std::string>& tokens, const std::string& key) const {
        std::vector<std::string> child = tokens;
        child.push_back(key);
        SchemaInfo info = schema_info_at(schema_, child);
        if (info.description.empty())
            return fmt::format("add '{}:'", key);
        return fmt::format("add '{}:' ({})", key, info.description);
    }

    const Document& doc_;
    const json& schema_;
    DocumentRole role_;
    Diagnostics& diags_;
};

void clamp_large_unsigned(json& v) {
    if (v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(INT64_MAX))
        v = uint64_t(INT64_MAX);
    else if (v.is_structured())
        for (auto& child : v)
            clamp_large_unsigned(child);
}

} // namespace

bool validate_document(const Document& doc, DocumentRole role, Diagnostics& diags) {
    const CompiledSchema& compiled = schema_for(role);
    valijson::Validator validator;
    valijson::ValidationResults results;
    // valijson reads integers as int64_t: values above INT64_MAX would wrap negative and fail
    // `minimum: 0`. Their range is checked when the model is built, so clamp them here.
    json clamped = doc.root;
    clamp_large_unsigned(clamped);
    valijson::adapters::NlohmannJsonAdapter target(clamped);
    if (validator.validate(compiled.schema, target, &results))
        return true;
    std::vector<valijson::ValidationResults::Error> errors;
    valijson::ValidationResults::Error error;
    while (results.popError(error))
        errors.push_back(error);
    ErrorMapper(doc, compiled.document, role, diags).map(errors);
    return false;
}

} // namespace jailconf::yaml
