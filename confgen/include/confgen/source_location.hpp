// Where a YAML node came from. Line and column are 1-based; 0 means "not known" (for example a
// model built from a binary descriptor, or by a Python script).
#pragma once

#include <cstdint>
#include <string>

namespace jailconf {

struct SourceLocation {
    std::string file;
    uint32_t line = 0;
    uint32_t column = 0;

    bool known() const { return !file.empty(); }
};

} // namespace jailconf
