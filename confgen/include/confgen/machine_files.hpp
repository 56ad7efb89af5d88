// Read-only access to the files of a scanned machine: the live system, a directory holding a
// copy of its tree (`--root`), or a snapshot tar made by `confgen collect`. Paths are the
// logical absolute paths on the target ("/sys/bus/pci/devices"). Every access is checked
// against the one allow-list (scan/allow_list.cpp) shared with `collect`, so the scanner cannot
// depend on a file a snapshot would not contain.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "confgen/expected.hpp"
#include "confgen/scan_error.hpp"

namespace jailconf {

class MachineFiles {
  public:
    virtual ~MachineFiles() = default;

    // The whole file; ScanError::Kind::too_large beyond `max_size` bytes.
    virtual Expected<std::string, ScanError> read(std::string_view path,
                                                  size_t max_size = 1 << 20) const = 0;
    // Entry names of a directory, sorted, without "." and "..".
    virtual Expected<std::vector<std::string>, ScanError> list(std::string_view dir) const = 0;
    // The target of a symbolic link, as stored ("../../../kernel/iommu_groups/3").
    virtual Expected<std::string, ScanError> read_link(std::string_view path) const = 0;
    virtual bool is_directory(std::string_view path) const = 0;
    // "live system", "directory /tmp/x", "snapshot board.tar": for messages.
    virtual std::string describe() const = 0;
};

std::unique_ptr<MachineFiles> open_live_machine();
// A copy of the machine's tree under `root` (e.g. an extracted snapshot): /sys/... is root/sys/...
Expected<std::unique_ptr<MachineFiles>, ScanError> open_machine_directory(const std::string& root);
// A tar archive written by `confgen collect`.
Expected<std::unique_ptr<MachineFiles>, ScanError> open_snapshot(const std::string& tar_path);

// The allow-list: true when `path` (logical, absolute, normalised) may be read or listed.
bool path_allowed(std::string_view path);

} // namespace jailconf
