// The one list of files `confgen collect` copies and the scanner may read. Keeping it in one
// place means a snapshot always holds everything a scan of it needs, and nothing else (no
// credentials, no logs: a snapshot can be shared with a vendor).
#pragma once

#include <span>
#include <string_view>

namespace jailconf::scan {

enum class EntryKind : unsigned char {
    file, // copied by content
    link, // a symbolic link whose target is the fact (iommu_group, driver)
};

struct AllowedPattern {
    // Absolute; a component may use fnmatch wildcards ("cpu[0-9]*", "*"); a final "**" matches
    // any number of components below (the device-tree directory form).
    std::string_view pattern;
    EntryKind kind;
    std::string_view why; // what the scanner uses it for (shown by `confgen collect --list`)
};

std::span<const AllowedPattern> allowed_patterns();

// The pattern matching `path` whole, or nullptr.
const AllowedPattern* match_allowed(std::string_view path);
// True when `dir` is a directory some pattern reaches into (so listing it is allowed).
bool directory_allowed(std::string_view dir);

} // namespace jailconf::scan
