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

} // namespace jailconf
