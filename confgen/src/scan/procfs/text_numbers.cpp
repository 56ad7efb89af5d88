#include "scan/procfs/text_numbers.hpp"

namespace jailconf::scan::procfs {

std::optional<ParsedNumber> parse_hex(std::string_view text, bool prefix) {
    ParsedNumber out;
    if (prefix) {
        if (text.size() < 2 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X'))
            return std::nullopt;
        out.length = 2;
    }
    size_t digits = 0;
    while (out.length < text.size()) {
        char c = text[out.length];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = unsigned(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = unsigned(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = unsigned(c - 'A' + 10);
        else
            break;
        if (++digits > 16)
            return std::nullopt;
        out.value = out.value << 4 | d;
        ++out.length;
    }
    if (digits == 0)
        return std::nullopt;
    return out;
}

std::optional<ParsedNumber> parse_decimal(std::string_view text) {
    ParsedNumber out;
    while (out.length < text.size() && text[out.length] >= '0' && text[out.length] <= '9') {
        out.value = out.value * 10 + unsigned(text[out.length] - '0');
        if (out.value > 0xffffffffu)
            return std::nullopt;
        ++out.length;
    }
    if (out.length == 0)
        return std::nullopt;
    return out;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\n' ||
                             text.front() == '\r'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' ||
                             text.back() == '\r'))
        text.remove_suffix(1);
    return text;
}

} // namespace jailconf::scan::procfs
