// `confgen collect`: copies the allow-listed files of a machine into a snapshot archive that
// `confgen scan --snapshot` reads on another machine.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "confgen/expected.hpp"
#include "confgen/machine_files.hpp"
#include "confgen/scan_error.hpp"

namespace jailconf {

struct CollectedSnapshot {
    std::string archive; // tar bytes
    size_t files = 0;
    size_t bytes = 0;
    std::vector<std::string> warnings; // one per allow-listed file that exists but was unreadable
};

// Called after each allow-list pattern: the pattern, files and bytes so far.
using CollectProgress = std::function<void(std::string_view pattern, size_t files, size_t bytes)>;

// The allow-list as (path pattern, why) pairs, for `confgen collect --list` and the docs.
std::vector<std::pair<std::string_view, std::string_view>> scan_allow_list();

// Fails only when nothing at all could be read.
Expected<CollectedSnapshot, ScanError> collect_snapshot(const MachineFiles& source,
                                                        const CollectProgress& progress = {});

} // namespace jailconf
