// Errors of the scanner: which file (logical path on the scanned machine, or the input file),
// where in it (byte offset, or device-tree node), what is wrong, and what to do about it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace jailconf {

struct ScanError {
    enum class Kind : uint8_t {
        not_found,   // the file does not exist (often fine: the caller decides)
        unreadable,  // exists but cannot be read (permissions, I/O error)
        not_allowed, // outside the collect/scan allow-list
        too_large,   // larger than the parser's bound
        malformed,   // contents violate the format
    };
    Kind kind = Kind::malformed;
    std::string file;
    std::optional<uint64_t> offset;
    std::string node; // device-tree node path, when that says more than an offset
    std::string message;
    std::string fix;

    // "file+0x1c: message" (node and fix appended when present), one line.
    std::string str() const;

    // Input that violates its format, at a byte offset.
    static ScanError malformed_at(std::string file, uint64_t offset, std::string message,
                                  std::string fix = {});
    // A problem with a whole file: missing, unreadable, not allowed, too large.
    static ScanError of_file(Kind kind, std::string file, std::string message,
                             std::string fix = {});
};

} // namespace jailconf
