#include "confgen/scan_error.hpp"

#include <fmt/format.h>

namespace jailconf {

std::string ScanError::str() const {
    std::string out = file;
    if (offset)
        out += fmt::format("+{:#x}", *offset);
    if (!node.empty())
        out += fmt::format(" (node {})", node);
    out += ": " + message;
    if (!fix.empty())
        out += " (fix: " + fix + ")";
    return out;
}

ScanError ScanError::malformed_at(std::string file, uint64_t offset, std::string message,
                                  std::string fix) {
    ScanError e = of_file(Kind::malformed, std::move(file), std::move(message), std::move(fix));
    e.offset = offset;
    return e;
}

ScanError ScanError::of_file(Kind kind, std::string file, std::string message, std::string fix) {
    ScanError e;
    e.kind = kind;
    e.file = std::move(file);
    e.message = std::move(message);
    e.fix = std::move(fix);
    return e;
}

} // namespace jailconf
