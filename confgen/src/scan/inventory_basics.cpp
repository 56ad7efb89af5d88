// The small formatting members of the inventory model.
#include <fmt/format.h>

#include "confgen/inventory.hpp"

namespace jailconf::inventory {

std::string Origin::str() const {
    // A node path says more than its offset in a blob, so it wins when both are known.
    if (!node.empty())
        return file + ":" + node;
    if (offset)
        return fmt::format("{}+{:#x}", file, *offset);
    return file;
}

std::string_view to_string(Trigger t) {
    switch (t) {
    case Trigger::edge_rising:
        return "edge_rising";
    case Trigger::edge_falling:
        return "edge_falling";
    case Trigger::level_high:
        return "level_high";
    case Trigger::level_low:
        return "level_low";
    case Trigger::unknown:
        break;
    }
    return "unknown";
}

std::string PciFunction::bdf() const {
    return fmt::format("{:04x}:{:02x}:{:02x}.{:x}", segment, bus, device, function);
}

} // namespace jailconf::inventory
