// A fact's value in the rule engine: absent, integer, string, boolean, or a list of integers or
// strings. Integers are signed 64-bit so that rules can subtract (an INTID minus 32); addresses
// above 2^63 are clamped, which no real machine reaches.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace jailconf::kb {

using IntList = std::vector<int64_t>;
using StrList = std::vector<std::string>;

class Value {
  public:
    Value() = default;
    Value(int64_t v) : v_(v) {}
    Value(uint64_t v) : v_(v > uint64_t(INT64_MAX) ? INT64_MAX : int64_t(v)) {}
    Value(uint32_t v) : v_(int64_t(v)) {}
    Value(int v) : v_(int64_t(v)) {}
    Value(bool v) : v_(v) {}
    Value(std::string v) : v_(std::move(v)) {}
    Value(std::string_view v) : v_(std::string(v)) {}
    Value(const char* v) : v_(std::string(v)) {}
    Value(IntList v) : v_(std::move(v)) {}
    Value(StrList v) : v_(std::move(v)) {}

    bool absent() const { return std::holds_alternative<std::monostate>(v_); }
    const int64_t* as_int() const { return std::get_if<int64_t>(&v_); }
    const bool* as_bool() const { return std::get_if<bool>(&v_); }
    const std::string* as_str() const { return std::get_if<std::string>(&v_); }
    const IntList* as_ints() const { return std::get_if<IntList>(&v_); }
    const StrList* as_strs() const { return std::get_if<StrList>(&v_); }
    bool is_list() const { return as_ints() || as_strs(); }

    // Equality of scalars of the same kind; absent equals nothing, not even absent.
    bool equals(const Value& other) const;
    // -1, 0, 1 for two integers or two strings; nullopt when not comparable.
    std::optional<int> compare(const Value& other) const;
    // Whether the list `*this` holds `item` (a scalar).
    bool list_contains(const Value& item) const;
    // Key for hash joins; absent values have no key.
    std::optional<std::string> key() const;
    // For messages: integers in decimal, or 0x-hex with `hex`; lists joined by ", ".
    std::string str(bool hex = false) const;

  private:
    std::variant<std::monostate, int64_t, bool, std::string, IntList, StrList> v_;
};

} // namespace jailconf::kb
