#include "yaml/json_syntax.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "yaml/text_checks.hpp"

namespace jailconf::yaml {
namespace {

// A SAX consumer that keeps nothing: only the position and reason of the first syntax error.
// (Building a DOM would double the memory of a large file for no use.)
struct SyntaxOnly {
    using json = nlohmann::json;
    size_t error_byte = 0;
    std::string error;

    bool null() { return true; }
    bool boolean(bool) { return true; }
    bool number_integer(json::number_integer_t) { return true; }
    bool number_unsigned(json::number_unsigned_t) { return true; }
    bool number_float(json::number_float_t, const json::string_t&) { return true; }
    bool string(json::string_t&) { return true; }
    bool binary(json::binary_t&) { return true; }
    bool start_object(size_t) { return true; }
    bool key(json::string_t&) { return true; }
    bool end_object() { return true; }
    bool start_array(size_t) { return true; }
    bool end_array() { return true; }
    bool parse_error(size_t position, const std::string&, const nlohmann::detail::exception& e) {
        error_byte = position;
        error = e.what();
        return false;
    }
};

// nlohmann's message is "[json.exception.parse_error.101] parse error at line L, column C:
// syntax error while parsing ..."; the location is reported separately, so keep the reason.
std::string reason(const std::string& what) {
    size_t colon = what.find(": ");
    std::string out = colon == std::string::npos ? what : what.substr(colon + 2);
    return out.empty() ? "not valid JSON" : out;
}

SourceLocation location_of_byte(std::string_view text, size_t byte, const std::string& file) {
    // `byte` counts the bytes read, the one the parser gave up on included (its "last read"
    // shows more than the offending token, so it cannot say where that token starts).
    return location_at(text, std::min(byte == 0 ? 0 : byte - 1, text.size()), file);
}

} // namespace

bool is_json_name(std::string_view file) {
    constexpr std::string_view ext = ".json";
    if (file.size() < ext.size())
        return false;
    auto tail = file.substr(file.size() - ext.size());
    return std::equal(tail.begin(), tail.end(), ext.begin(), [](char a, char b) {
        return (a >= 'A' && a <= 'Z' ? char(a - 'A' + 'a') : a) == b;
    });
}

std::optional<std::string> check_json_syntax(std::string_view text, const std::string& file,
                                             Diagnostics& diags) {
    SyntaxOnly sax;
    bool ok = nlohmann::json::sax_parse(text.begin(), text.end(), &sax,
                                        nlohmann::json::input_format_t::json, true, false);
    if (!ok) {
        diags.report("JC-JSON-SYNTAX", location_of_byte(text, sax.error_byte, file),
                     reason(sax.error),
                     "fix the JSON syntax at or just before this position (no comments, no "
                     "trailing commas, strings in double quotes)");
        return std::nullopt;
    }
    std::string out(text);
    std::replace(out.begin(), out.end(), '\t', ' ');
    return out;
}

} // namespace jailconf::yaml
