#include "kb/value.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <optional>

namespace jailconf::kb {

bool Value::equals(const Value& other) const {
    if (absent() || other.absent())
        return false;
    return v_ == other.v_;
}

std::optional<int> Value::compare(const Value& other) const {
    if (auto a = as_int(), b = other.as_int(); a && b)
        return *a < *b ? -1 : *a > *b ? 1 : 0;
    if (auto a = as_str(), b = other.as_str(); a && b)
        return *a < *b ? -1 : *a > *b ? 1 : 0;
    return std::nullopt;
}

bool Value::list_contains(const Value& item) const {
    if (auto list = as_ints(); list && item.as_int())
        return std::find(list->begin(), list->end(), *item.as_int()) != list->end();
    if (auto list = as_strs(); list && item.as_str())
        return std::find(list->begin(), list->end(), *item.as_str()) != list->end();
    return false;
}

std::optional<std::string> Value::key() const {
    if (auto i = as_int())
        return fmt::format("i{}", *i);
    if (auto s = as_str())
        return "s" + *s;
    if (auto b = as_bool())
        return *b ? "b1" : "b0";
    return std::nullopt;
}

std::string Value::str(bool hex) const {
    auto one = [hex](int64_t v) {
        return hex ? fmt::format("{:#x}", uint64_t(v)) : fmt::format("{}", v);
    };
    if (auto i = as_int())
        return one(*i);
    if (auto s = as_str())
        return *s;
    if (auto b = as_bool())
        return *b ? "true" : "false";
    std::string out;
    if (auto list = as_ints())
        for (int64_t v : *list)
            out += (out.empty() ? "" : ", ") + one(v);
    if (auto list = as_strs())
        for (const auto& v : *list)
            out += (out.empty() ? "" : ", ") + v;
    return absent() ? "(none)" : out;
}

} // namespace jailconf::kb
