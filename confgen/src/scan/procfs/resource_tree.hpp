// /proc/iomem and /proc/ioports: one "start-end : name" line per resource, hex addresses, end
// inclusive, nested resources indented by two spaces per level.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "confgen/expected.hpp"
#include "confgen/inventory.hpp"
#include "confgen/scan_error.hpp"

namespace jailconf::scan::procfs {

struct ResourceLine {
    inventory::ResourceEntry entry;
    uint64_t offset = 0; // byte offset of the line in the file
};

// Bounds: 65536 lines, 4096 bytes a line, 32 levels. A malformed line (no dash, no " : ",
// a number longer than 16 digits, odd indentation, a jump of more than one level) is an error
// naming the file and the byte offset where the line goes wrong.
Expected<std::vector<ResourceLine>, ScanError> parse_resource_tree(std::string_view text,
                                                                   const std::string& file);

// True when every line shows start and end 0: what non-root readers see since Linux 4.6.
bool addresses_hidden(const std::vector<ResourceLine>& lines);

} // namespace jailconf::scan::procfs
