// YAML and JSON views of the inventory, written and read by walking fields.hpp.
#include "confgen/inventory_io.hpp"

#include <fmt/format.h>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <type_traits>
#include <typeindex>
#include <yaml-cpp/yaml.h>

#include "inventory/fields.hpp"
#include "yaml/document.hpp"
#include "yaml/numbers.hpp"

namespace jailconf::inventory {
namespace {

template <class T> struct is_vector : std::false_type {};
template <class T> struct is_vector<std::vector<T>> : std::true_type {};
template <class T> struct is_optional : std::false_type {};
template <class T> struct is_optional<std::optional<T>> : std::true_type {};

// Defaults that carry no information are left out: empty strings and lists, absent optionals.
template <class T> bool omitted(const T& v) {
    if constexpr (std::is_same_v<T, std::string> || is_vector<T>::value)
        return v.empty();
    else if constexpr (is_optional<T>::value)
        return !v.has_value();
    else
        return false;
}

// Small structs read best on one line.
template <class T>
constexpr bool flow_struct =
    std::is_same_v<T, Region> || std::is_same_v<T, Interrupt> || std::is_same_v<T, Origin> ||
    std::is_same_v<T, PciWindow> || std::is_same_v<T, IdMapping> ||
    std::is_same_v<T, ResourceEntry> || std::is_same_v<T, PciCapability> ||
    std::is_same_v<T, NumaCpu> || std::is_same_v<T, NumaMemory> ||
    std::is_same_v<T, PciIntxRoute> || std::is_same_v<T, PciBar> || std::is_same_v<T, Warning>;

// A plain scalar the reader would take for a number, boolean or null must be quoted.
bool needs_quotes(const std::string& s) {
    if (s.empty() || s == "true" || s == "false" || s == "null" || s == "~")
        return true;
    return yaml::parse_integer_literal(s).has_value();
}

struct YamlWriter {
    YAML::Emitter& out;

    template <class T> void operator()(const char* key, T& value) { member(key, value, false); }
    template <class T> void operator()(const char* key, T& value, Hex) { member(key, value, true); }

    template <class T> void member(const char* key, T& value, bool hex) {
        if (omitted(value))
            return;
        out << YAML::Key << key << YAML::Value;
        write(value, hex);
    }

    template <class T> void write(T& v, bool hex) {
        if constexpr (std::is_same_v<T, bool>) {
            out << (v ? "true" : "false");
        } else if constexpr (std::is_integral_v<T>) {
            if (hex)
                out << fmt::format("{:#x}", uint64_t(v));
            else
                out << uint64_t(v);
        } else if constexpr (std::is_same_v<T, std::string>) {
            if (needs_quotes(v))
                out << YAML::DoubleQuoted << v;
            else
                out << v;
        } else if constexpr (std::is_same_v<T, Trigger>) {
            out << std::string(to_string(v));
        } else if constexpr (is_optional<T>::value) {
            write(*v, hex);
        } else if constexpr (is_vector<T>::value) {
            using E = typename T::value_type;
            bool flow = std::is_integral_v<E> || std::is_same_v<E, std::string>;
            if (flow)
                out << YAML::Flow;
            out << YAML::BeginSeq;
            for (auto& e : v)
                write(e, hex);
            out << YAML::EndSeq;
        } else {
            if constexpr (flow_struct<T>)
                out << YAML::Flow;
            out << YAML::BeginMap;
            fields(*this, v);
            out << YAML::EndMap;
        }
    }
};

struct JsonWriter {
    nlohmann::ordered_json* target;

    template <class T> void operator()(const char* key, T& value, Hex = {}) {
        if (!omitted(value))
            (*target)[key] = to_json(value);
    }

    template <class T> static nlohmann::ordered_json to_json(T& v) {
        if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, std::string>) {
            return v;
        } else if constexpr (std::is_integral_v<T>) {
            return uint64_t(v);
        } else if constexpr (std::is_same_v<T, Trigger>) {
            return std::string(to_string(v));
        } else if constexpr (is_optional<T>::value) {
            return to_json(*v);
        } else if constexpr (is_vector<T>::value) {
            auto a = nlohmann::ordered_json::array();
            for (auto& e : v)
                a.push_back(to_json(e));
            return a;
        } else {
            auto o = nlohmann::ordered_json::object();
            JsonWriter w{&o};
            fields(w, v);
            return o;
        }
    }
};

constexpr std::string_view trigger_names[] = {"unknown", "edge_rising", "edge_falling",
                                              "level_high", "level_low"};

struct Reader {
    const yaml::SourceMap& map;
    const nlohmann::json* object;
    std::string pointer;
    std::vector<std::string>* seen;
    std::optional<ScanError>* error;

    template <class T> void operator()(const char* key, T& value, Hex = {}) {
        if (*error)
            return;
        seen->push_back(key);
        auto it = object->find(key);
        if (it == object->end())
            return;
        read(*it, yaml::pointer_append(pointer, key), value);
    }

    void fail(const std::string& at, std::string message) {
        if (*error)
            return;
        auto loc = map.value(at);
        ScanError e;
        e.kind = ScanError::Kind::malformed;
        e.file = map.file();
        e.message = loc.line ? fmt::format("line {}, column {}: {}", loc.line, loc.column, message)
                             : message;
        e.fix = "use the inventory as 'confgen scan' wrote it (keys: docs/inventory.md)";
        *error = std::move(e);
    }

    template <class T> void read(const nlohmann::json& j, const std::string& at, T& v) {
        if constexpr (std::is_same_v<T, bool>) {
            if (!j.is_boolean())
                return fail(at, "expected true or false");
            v = j.get<bool>();
        } else if constexpr (std::is_integral_v<T>) {
            if (!j.is_number_unsigned() && !(j.is_number_integer() && j.get<int64_t>() >= 0))
                return fail(at, "expected a non-negative integer");
            uint64_t n = j.get<uint64_t>();
            if (n > uint64_t(std::numeric_limits<T>::max()))
                return fail(at, fmt::format("{} is too large here (at most {})", n,
                                            uint64_t(std::numeric_limits<T>::max())));
            v = T(n);
        } else if constexpr (std::is_same_v<T, std::string>) {
            if (!j.is_string())
                return fail(at, "expected a string");
            v = j.get<std::string>();
        } else if constexpr (std::is_same_v<T, Trigger>) {
            if (j.is_string())
                for (size_t i = 0; i < std::size(trigger_names); ++i)
                    if (j.get<std::string>() == trigger_names[i]) {
                        v = Trigger(i);
                        return;
                    }
            return fail(
                at,
                "expected a trigger: unknown, edge_rising, edge_falling, level_high or level_low");
        } else if constexpr (is_optional<T>::value) {
            v.emplace();
            read(j, at, *v);
        } else if constexpr (is_vector<T>::value) {
            if (!j.is_array())
                return fail(at, "expected a list");
            v.clear();
            v.resize(j.size());
            for (size_t i = 0; i < j.size() && !*error; ++i)
                read(j[i], yaml::pointer_append(at, i), v[i]);
        } else {
            if (!j.is_object())
                return fail(at, "expected a mapping");
            std::vector<std::string> keys;
            Reader inner{map, &j, at, &keys, error};
            fields(inner, v);
            for (auto it = j.begin(); it != j.end() && !*error; ++it)
                if (std::find(keys.begin(), keys.end(), it.key()) == keys.end())
                    fail(yaml::pointer_append(at, it.key()),
                         fmt::format("unknown key '{}'", it.key()));
        }
    }
};

// Lists the keys as Markdown tables, one per structure, for docs/inventory.md.
struct KeyLister {
    std::map<std::type_index, std::string>* sections_seen;
    std::vector<std::string>* out;
    std::string path;
    std::vector<std::string> rows;
    std::vector<std::function<void()>> nested;

    template <class T> void operator()(const char* key, T& value, Hex = {}) {
        std::string sub = path.empty() ? key : path + "." + key;
        rows.push_back(fmt::format("| `{}` | {} |", key, type_of(value, sub)));
    }

    template <class T> std::string type_of(T& v, const std::string& sub) {
        if constexpr (std::is_same_v<T, bool>)
            return "boolean";
        else if constexpr (std::is_integral_v<T>)
            return "integer";
        else if constexpr (std::is_same_v<T, std::string>)
            return "string";
        else if constexpr (std::is_same_v<T, Trigger>)
            return "`unknown` \\| `edge_rising` \\| `edge_falling` \\| `level_high` \\| "
                   "`level_low`";
        else if constexpr (is_optional<T>::value) {
            v.emplace();
            return type_of(*v, sub) + " (optional)";
        } else if constexpr (is_vector<T>::value) {
            v.resize(1);
            return "list of " + type_of(v.front(), sub + "[]");
        } else {
            auto [it, fresh] = sections_seen->try_emplace(std::type_index(typeid(T)), sub);
            if (fresh) {
                auto copy = std::make_shared<T>(v);
                nested.push_back([this, copy, sub] { list(*copy, sub, *sections_seen, *out); });
            }
            return fmt::format("mapping, see [`{0}`](#{1})", it->second, anchor(it->second));
        }
    }

    static std::string anchor(const std::string& s) {
        std::string a;
        for (char c : s)
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')
                a += c;
        return a;
    }

    template <class T>
    static void list(T& v, const std::string& path, std::map<std::type_index, std::string>& seen,
                     std::vector<std::string>& out) {
        KeyLister l{&seen, &out, path, {}, {}};
        fields(l, v);
        out.push_back(fmt::format("### `{}`\n", path.empty() ? "(top level)" : path));
        out.push_back("| key | type |\n| --- | --- |");
        for (auto& r : l.rows)
            out.push_back(r);
        out.push_back("");
        for (auto& n : l.nested)
            n();
    }
};

} // namespace

std::string to_yaml(const Inventory& inv) {
    YAML::Emitter out;
    out.SetIndent(2);
    out << YAML::BeginMap << YAML::Key << "format" << YAML::Value << std::string(format_tag);
    // The writers only read; fields() takes non-const references so that the reader can share it.
    YamlWriter w{out};
    fields(w, const_cast<Inventory&>(inv));
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

std::string describe_keys() {
    Inventory sample;
    std::map<std::type_index, std::string> seen;
    std::vector<std::string> out;
    KeyLister::list(sample, "", seen, out);
    std::string text;
    for (auto& line : out)
        text += line + "\n";
    return text;
}

std::string to_json(const Inventory& inv) {
    auto root = nlohmann::ordered_json::object();
    root["format"] = format_tag;
    JsonWriter w{&root};
    fields(w, const_cast<Inventory&>(inv));
    return root.dump(2) + "\n";
}

Expected<Inventory, ScanError> from_yaml(std::string_view text, const std::string& file) {
    Diagnostics diags;
    auto doc = yaml::parse_document(text, file, diags);
    auto parse_error = [&](std::string message) {
        ScanError e;
        e.kind = ScanError::Kind::malformed;
        e.file = file;
        e.message = std::move(message);
        e.fix = "give the inventory written by 'confgen scan -o FILE'";
        return e;
    };
    if (!doc) {
        const auto& d = diags.all().empty() ? Diagnostic{} : diags.all().front();
        return Unexpected(parse_error(
            d.loc.line ? fmt::format("line {}, column {}: {}", d.loc.line, d.loc.column, d.message)
                       : d.message));
    }
    const auto& root = doc->root;
    if (!root.is_object() || !root.contains("format") || root["format"] != format_tag)
        return Unexpected(parse_error(fmt::format("not an inventory: the first key must be "
                                                  "'format: {}'",
                                                  format_tag)));
    Inventory inv;
    std::optional<ScanError> error;
    std::vector<std::string> keys{"format"};
    Reader r{doc->map, &root, "", &keys, &error};
    fields(r, inv);
    for (auto it = root.begin(); it != root.end() && !error; ++it)
        if (std::find(keys.begin(), keys.end(), it.key()) == keys.end())
            r.fail(yaml::pointer_append("", it.key()), fmt::format("unknown key '{}'", it.key()));
    if (error)
        return Unexpected(std::move(*error));
    return inv;
}

} // namespace jailconf::inventory
