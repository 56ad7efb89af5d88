// The host tree: the scanner's FDT reader (scan/dt/fdt_reader), not a second parser, and its
// index, kept together for the device pass.
#include <fmt/format.h>

#include "guest_dt/parts.hpp"
#include "scan/dt/fdt_reader.hpp"

namespace jailconf::guest_dt {

HostTree::HostTree(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HostTree::HostTree(HostTree&&) noexcept = default;
HostTree& HostTree::operator=(HostTree&&) noexcept = default;
HostTree::~HostTree() = default;

Expected<HostTree, ScanError> HostTree::parse(std::string_view blob, const std::string& file) {
    if (blob.size() > fdt::max_blob_size)
        return Unexpected(ScanError::of_file(
            ScanError::Kind::too_large, file,
            fmt::format("{} bytes is larger than the {} byte limit for a device tree blob",
                        blob.size(), fdt::max_blob_size)));
    auto tree = scan::dt::read_fdt(blob, file);
    if (!tree)
        return Unexpected(tree.error());
    if (tree->nodes.empty())
        return Unexpected(ScanError::malformed_at(file, 0, "the device tree has no root node",
                                                  "give the host's .dtb (dtc -I dts -O dtb)"));
    return HostTree(std::make_unique<Impl>(std::move(*tree)));
}

} // namespace jailconf::guest_dt
