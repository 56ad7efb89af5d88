#include "yaml/text_checks.hpp"

#include <fmt/format.h>

namespace jailconf::yaml {
namespace {

// Length of the UTF-8 sequence starting at s[i], or 0 if it is invalid (overlong forms,
// surrogates and code points above U+10FFFF included).
size_t utf8_sequence_length(std::string_view s, size_t i) {
    auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = byte(i);
    if (c < 0x80)
        return 1;
    size_t n = 0;
    uint32_t cp = 0;
    if ((c & 0xe0) == 0xc0) {
        n = 2;
        cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
        n = 3;
        cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (i + n > s.size())
        return 0;
    for (size_t k = 1; k < n; ++k) {
        if ((byte(i + k) & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (byte(i + k) & 0x3f);
    }
    static constexpr uint32_t min_for_length[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_length[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

} // namespace

SourceLocation location_at(std::string_view text, size_t offset, const std::string& file) {
    uint32_t line = 1, column = 1;
    for (size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return SourceLocation{file, line, column};
}

bool check_text(std::string_view text, const std::string& file, Diagnostics& diags) {
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        diags.report("JC-FILE-EMPTY", SourceLocation{file, 1, 1}, "the file is empty",
                     "start the file with `format: jailconf/1`");
        return false;
    }
    for (size_t i = 0; i < text.size();) {
        size_t n = text[i] == '\0' ? 0 : utf8_sequence_length(text, i);
        if (n == 0) {
            diags.report("JC-INPUT-NOT-TEXT", location_at(text, i, file),
                         fmt::format("byte 0x{:02x} at offset {} is not UTF-8 text{}",
                                     static_cast<unsigned char>(text[i]), i,
                                     text[i] == '\0' ? " (a NUL byte)" : ""),
                         "give a YAML text file; read .jcb blobs with `confgen decompile`");
            return false;
        }
        i += n;
    }
    return true;
}

} // namespace jailconf::yaml
