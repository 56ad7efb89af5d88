#include "yaml/numbers.hpp"

#include <charconv>
#include <fmt/format.h>

namespace jailconf::yaml {
namespace {

bool is_hex_prefix(std::string_view t) {
    return t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X');
}

} // namespace

std::optional<Expected<uint64_t, std::string>> parse_integer_literal(std::string_view text) {
    int base = 10;
    std::string_view digits = text;
    if (is_hex_prefix(text)) {
        base = 16;
        digits = text.substr(2);
    }
    if (digits.empty())
        return std::nullopt;
    for (char c : digits) {
        bool ok =
            base == 16 ? std::isxdigit(static_cast<unsigned char>(c)) != 0 : (c >= '0' && c <= '9');
        if (!ok)
            return std::nullopt;
    }
    uint64_t value = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
    if (ec == std::errc::result_out_of_range)
        return Unexpected(fmt::format("'{}' does not fit in 64 bits", text));
    if (ec != std::errc() || end != digits.data() + digits.size())
        return std::nullopt;
    return value;
}

Expected<uint64_t, std::string> parse_size_suffix(std::string_view text) {
    if (text.size() < 2)
        return Unexpected(fmt::format("'{}' is not a size", text));
    unsigned shift = 0;
    switch (text.back()) {
    case 'K':
        shift = 10;
        break;
    case 'M':
        shift = 20;
        break;
    case 'G':
        shift = 30;
        break;
    case 'T':
        shift = 40;
        break;
    default:
        return Unexpected(fmt::format("'{}' has an unknown size suffix (use K, M, G or T)", text));
    }
    auto number = parse_integer_literal(text.substr(0, text.size() - 1));
    if (!number)
        return Unexpected(fmt::format("'{}' is not a size", text));
    if (!*number)
        return Unexpected(number->error());
    uint64_t value = **number;
    if (value > (UINT64_MAX >> shift))
        return Unexpected(fmt::format("size '{}' does not fit in 64 bits", text));
    return value << shift;
}

Expected<IdPair, std::string> parse_id_range(std::string_view text) {
    size_t dash = text.find('-');
    if (dash == std::string_view::npos)
        return Unexpected(fmt::format("'{}' is not a range (write first-last)", text));
    auto first = parse_integer_literal(text.substr(0, dash));
    auto last = parse_integer_literal(text.substr(dash + 1));
    if (!first || !last)
        return Unexpected(fmt::format("'{}' is not a range (write first-last)", text));
    if (!*first)
        return Unexpected(first->error());
    if (!*last)
        return Unexpected(last->error());
    if (**first > **last)
        return Unexpected(fmt::format("range '{}' is reversed: {} > {} (write {}-{})", text,
                                      **first, **last, **last, **first));
    return IdPair{**first, **last};
}

} // namespace jailconf::yaml

namespace jailconf {

Expected<uint64_t, std::string> parse_number_or_size(std::string_view text) {
    if (auto plain = yaml::parse_integer_literal(text))
        return *plain;
    return yaml::parse_size_suffix(text);
}

} // namespace jailconf
