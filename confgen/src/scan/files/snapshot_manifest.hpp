// The manifest at the root of a snapshot: what collected it, from which kernel, and which
// allow-listed files could not be read (so a scan of the snapshot can say why a fact is absent).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace jailconf::scan {

inline constexpr std::string_view snapshot_manifest_name = "jailconf-snapshot.yaml";

} // namespace jailconf::scan
