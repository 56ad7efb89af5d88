// The snapshot container: a POSIX ustar archive (with pax headers for long names), readable by
// GNU tar so that users can inspect a snapshot before sending it anywhere. Only what snapshots
// need: regular files, directories and symbolic links.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "confgen/expected.hpp"
#include "confgen/scan_error.hpp"

namespace jailconf::scan {

struct TarEntry {
    enum class Type : uint8_t { file, directory, symlink };
    Type type = Type::file;
    std::string path;    // relative, no leading "/", no trailing "/"
    std::string content; // file bytes, or the link target
};

// Entries in the order given; mtime 0 and uid/gid 0 so the same machine gives the same bytes.
std::string write_tar(const std::vector<TarEntry>& entries);

// Bounded: entry count, name lengths and sizes are checked against the archive; a malformed
// header is an error naming its byte offset in `file`.
Expected<std::vector<TarEntry>, ScanError> read_tar(std::string_view archive,
                                                    const std::string& file);

} // namespace jailconf::scan
