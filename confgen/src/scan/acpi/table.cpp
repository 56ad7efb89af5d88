#include "scan/acpi/table.hpp"

#include <fmt/format.h>

namespace jailconf::scan::acpi {

ScanError Table::malformed(size_t offset, std::string message, std::string fix) const {
    ScanError e;
    e.kind = ScanError::Kind::malformed;
    e.file = file;
    e.offset = offset;
    e.message = std::move(message);
    e.fix = fix.empty() ? "the firmware's table is corrupt or not what its signature says; dump "
                          "it again or report it to the firmware vendor"
                        : std::move(fix);
    return e;
}

Expected<Ok, ScanError> check_structure(const Table& t, size_t offset, size_t length, size_t min,
                                        std::string_view what) {
    if (length < min)
        return Unexpected(t.malformed(
            offset, fmt::format("{} is {} bytes long, needs at least {}", what, length, min)));
    if (!fits(t.bytes, offset, length))
        return Unexpected(t.malformed(offset, fmt::format("{} of {} bytes runs past the table end "
                                                          "({} bytes)",
                                                          what, length, t.bytes.size())));
    return Ok{};
}

} // namespace jailconf::scan::acpi
