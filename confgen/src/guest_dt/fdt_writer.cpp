// The flattened device tree writer (devicetree specification v0.4, chapter 5; version 17, last
// compatible 16): header, an empty memory reservation map, the structure block, the strings
// block. Every number is written big-endian byte by byte, whatever the host is; property names
// are shared in the strings block in order of first use, so the same tree gives the same bytes.
#include <map>

#include <fmt/format.h>

#include "confgen/guest_dt.hpp"
#include "fdt/fdt_format.hpp"
#include "scan/dt/dt_tree.hpp"

namespace jailconf::guest_dt {
namespace {

using fdt::append_be32;
constexpr size_t memreserve_size = 16; // the terminating 0/0 entry
// A tree we write must be one our reader takes back.
using scan::dt::max_depth;

void pad4(std::vector<uint8_t>& out) {
    while (out.size() % 4 != 0)
        out.push_back(0);
}

class Writer {
  public:
    bool node(const Node& n, uint32_t depth) {
        if (depth > max_depth || n.name.find('\0') != std::string::npos) {
            error_ = fmt::format("node '{}' is nested deeper than {} levels or has a NUL in its "
                                 "name",
                                 n.name, max_depth);
            return false;
        }
        append_be32(structure_, fdt::token_begin_node);
        structure_.insert(structure_.end(), n.name.begin(), n.name.end());
        structure_.push_back(0);
        pad4(structure_);
        for (const Property& p : n.properties) {
            if (p.value.size() > fdt::max_blob_size) {
                error_ = fmt::format("property '{}' of node '{}' is larger than {} bytes", p.name,
                                     n.name, fdt::max_blob_size);
                return false;
            }
            append_be32(structure_, fdt::token_prop);
            append_be32(structure_, uint32_t(p.value.size()));
            append_be32(structure_, name_offset(p.name));
            structure_.insert(structure_.end(), p.value.begin(), p.value.end());
            pad4(structure_);
        }
        for (const Node& c : n.children)
            if (!node(c, depth + 1))
                return false;
        append_be32(structure_, fdt::token_end_node);
        if (structure_.size() + strings_.size() > fdt::max_blob_size) {
            error_ = fmt::format("the tree is larger than the {} byte limit of a blob",
                                 fdt::max_blob_size);
            return false;
        }
        return true;
    }

    Expected<std::vector<uint8_t>, Error> finish(uint32_t boot_cpuid) {
        append_be32(structure_, fdt::token_end);
        size_t struct_off = fdt::header_size + memreserve_size;
        size_t strings_off = struct_off + structure_.size();
        size_t total = strings_off + strings_.size();
        if (total > fdt::max_blob_size)
            return Unexpected(Error{Error::Kind::input,
                                    fmt::format("the tree is larger than the {} byte limit of a "
                                                "blob",
                                                fdt::max_blob_size),
                                    ""});
        std::vector<uint8_t> out;
        out.reserve(total);
        for (uint32_t v : {fdt::magic, uint32_t(total), uint32_t(struct_off), uint32_t(strings_off),
                           uint32_t(fdt::header_size), fdt::version, fdt::last_compatible_version,
                           boot_cpuid, uint32_t(strings_.size()), uint32_t(structure_.size())})
            append_be32(out, v);
        out.resize(out.size() + memreserve_size, 0);
        out.insert(out.end(), structure_.begin(), structure_.end());
        out.insert(out.end(), strings_.begin(), strings_.end());
        return out;
    }

    const std::string& error() const { return error_; }

  private:
    uint32_t name_offset(const std::string& name) {
        auto it = offsets_.find(name);
        if (it != offsets_.end())
            return it->second;
        auto off = uint32_t(strings_.size());
        strings_.insert(strings_.end(), name.begin(), name.end());
        strings_.push_back(0);
        offsets_.emplace(name, off);
        return off;
    }

    std::vector<uint8_t> structure_;
    std::vector<uint8_t> strings_;
    std::map<std::string, uint32_t> offsets_;
    std::string error_;
};

} // namespace

Expected<std::vector<uint8_t>, Error> to_dtb(const Tree& tree) {
    Writer w;
    if (!w.node(tree.root, 0))
        return Unexpected(Error{Error::Kind::input, w.error(), ""});
    return w.finish(tree.boot_cpuid);
}

} // namespace jailconf::guest_dt
