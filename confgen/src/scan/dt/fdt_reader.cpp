#include "scan/dt/fdt_reader.hpp"

#include <fmt/format.h>

#include "fdt/fdt_format.hpp"

namespace jailconf::scan::dt {
namespace {

using fdt::be32;
using fdt::be64;
using fdt::token_begin_node;
using fdt::token_end;
using fdt::token_end_node;
using fdt::token_nop;
using fdt::token_prop;
constexpr size_t max_memreserve = 4096;

constexpr const char* fix_regenerate = "the blob is damaged: take it again from the firmware, or "
                                       "rebuild it with dtc";

class Reader {
  public:
    Reader(std::string_view blob, const std::string& file) : blob_(blob), file_(file) {}

    Expected<Tree, ScanError> run() {
        tree_.file = file_;
        if (!header() || !memreserve() || !structure())
            return Unexpected(std::move(error_));
        return std::move(tree_);
    }

  private:
    bool fail(uint64_t offset, std::string message, std::string fix = fix_regenerate) {
        error_.kind = ScanError::Kind::malformed;
        error_.file = file_;
        error_.offset = offset;
        error_.message = std::move(message);
        error_.fix = std::move(fix);
        return false;
    }

    bool header() {
        if (blob_.size() < 4)
            return fail(0, fmt::format("{} bytes: too short for a device tree blob", blob_.size()));
        if (be32(blob_, 0) != fdt::magic)
            return fail(0,
                        fmt::format("magic {:#010x} is not a device tree blob's (0xd00dfeed)",
                                    be32(blob_, 0)),
                        "give a .dtb file (dtc -I dts -O dtb), not a .dts or an image");
        if (blob_.size() < 28)
            return fail(blob_.size(), "header truncated");
        uint32_t version = be32(blob_, 20);
        uint32_t last_compatible = be32(blob_, 24);
        if (version < 16)
            return fail(
                20, fmt::format("version {} is older than 16, which this reader needs", version),
                "rebuild the blob with a current dtc");
        if (last_compatible > 17)
            return fail(24,
                        fmt::format("last compatible version {} is newer than 17", last_compatible),
                        "rebuild the blob with dtc -V 17");
        size_t header_size = version >= 17 ? 40 : 36;
        if (blob_.size() < header_size)
            return fail(blob_.size(), "header truncated");
        uint64_t total = be32(blob_, 4);
        if (total > blob_.size())
            return fail(4,
                        fmt::format("header says the blob is {} bytes, the file has {}", total,
                                    blob_.size()),
                        "the file is truncated: copy it again");
        if (total > fdt::max_blob_size)
            return fail(4, fmt::format("blob of {} bytes is larger than the {} byte limit", total,
                                       fdt::max_blob_size));
        if (total < header_size)
            return fail(4, fmt::format("total size {} is smaller than the header", total));
        blob_ = blob_.substr(0, total); // bytes past totalsize are not part of the tree
        struct_off_ = be32(blob_, 8);
        strings_off_ = be32(blob_, 12);
        rsvmap_off_ = be32(blob_, 16);
        strings_size_ = be32(blob_, 32);
        struct_size_ =
            version >= 17 ? be32(blob_, 36) : total - std::min<uint64_t>(total, struct_off_);
        if (struct_off_ < header_size || struct_off_ % 4 != 0 || struct_off_ > total)
            return fail(8, fmt::format("structure block offset {:#x} is outside the blob or "
                                       "misaligned",
                                       struct_off_));
        if (struct_size_ > total - struct_off_ || struct_size_ % 4 != 0)
            return fail(36, fmt::format("structure block size {:#x} at {:#x} runs past the blob "
                                        "or is not a multiple of 4",
                                        struct_size_, struct_off_));
        if (strings_off_ < header_size || strings_off_ > total)
            return fail(
                12, fmt::format("strings block offset {:#x} is outside the blob", strings_off_));
        if (strings_size_ > total - strings_off_)
            return fail(32, fmt::format("strings block size {:#x} at {:#x} runs past the blob",
                                        strings_size_, strings_off_));
        if (rsvmap_off_ < header_size || rsvmap_off_ % 8 != 0 || rsvmap_off_ > total)
            return fail(16, fmt::format("memory reservation map offset {:#x} is outside the blob "
                                        "or misaligned",
                                        rsvmap_off_));
        return true;
    }

    bool memreserve() {
        for (uint64_t off = rsvmap_off_;; off += 16) {
            if (blob_.size() - off < 16)
                return fail(off, "memory reservation map runs past the end of the blob (no "
                                 "terminating 0/0 entry)");
            uint64_t address = be64(blob_, off);
            uint64_t size = be64(blob_, off + 16 - 8);
            if (address == 0 && size == 0)
                return true;
            if (tree_.memreserve.size() == max_memreserve)
                return fail(off, fmt::format("more than {} memory reservations", max_memreserve));
            tree_.memreserve.push_back(MemReserve{address, size, off});
        }
    }

    // The structure block as a token stream; `pos_` is absolute in the blob.
    bool read_u32(uint32_t& out, const char* what) {
        if (end_ - pos_ < 4)
            return fail(pos_, fmt::format("structure block ends inside {}", what));
        out = be32(blob_, pos_);
        pos_ += 4;
        return true;
    }

    bool node_name(std::string& out) {
        size_t start = pos_;
        size_t limit = std::min<size_t>(end_ - start, max_name_length + 1);
        size_t nul = blob_.substr(start, limit).find('\0');
        if (nul == std::string_view::npos)
            return fail(start, limit > max_name_length
                                   ? fmt::format("node name longer than {} bytes", max_name_length)
                                   : std::string("node name not terminated inside the "
                                                 "structure block"));
        out.assign(blob_.substr(start, nul));
        size_t slash = out.find('/');
        if (slash != std::string::npos)
            return fail(start + slash, fmt::format("node name '{}' contains '/'", out));
        pos_ = align4(start + nul + 1);
        if (pos_ > end_)
            return fail(start, "node name padding runs past the structure block");
        return true;
    }

    bool property(uint32_t node, size_t token_offset) {
        uint32_t length = 0, name_offset = 0;
        if (!read_u32(length, "a property header") || !read_u32(name_offset, "a property header"))
            return false;
        if (length > end_ - pos_)
            return fail(token_offset + 4,
                        fmt::format("property length {} runs past the structure block", length));
        if (name_offset >= strings_size_)
            return fail(token_offset + 8,
                        fmt::format("property name offset {:#x} is outside the strings block "
                                    "({:#x} bytes)",
                                    name_offset, strings_size_));
        std::string_view strings = blob_.substr(strings_off_, strings_size_);
        size_t nul = strings.find('\0', name_offset);
        if (nul == std::string_view::npos)
            return fail(strings_off_ + name_offset, "property name not terminated inside the "
                                                    "strings block");
        if (nul - name_offset > max_name_length)
            return fail(strings_off_ + name_offset,
                        fmt::format("property name longer than {} bytes", max_name_length));
        if (nul == name_offset)
            return fail(token_offset + 8, "empty property name");
        if (tree_.properties.size() == max_properties)
            return fail(token_offset, fmt::format("more than {} properties", max_properties));
        Node& n = tree_.nodes[node];
        if (!n.children.empty())
            return fail(token_offset, "property after a subnode (properties must come first)");
        if (n.property_count == 0)
            n.first_property = uint32_t(tree_.properties.size());
        ++n.property_count;
        tree_.properties.push_back(
            Property{std::string(strings.substr(name_offset, nul - name_offset)),
                     std::string(blob_.substr(pos_, length)), token_offset});
        pos_ = align4(pos_ + length);
        if (pos_ > end_)
            return fail(token_offset, "property padding runs past the structure block");
        return true;
    }

    bool begin_node(uint32_t& current, size_t token_offset) {
        std::string name;
        if (!node_name(name))
            return false;
        if (current == no_node) {
            if (!tree_.nodes.empty())
                return fail(token_offset, "a second root node");
            tree_.nodes.push_back(Node{});
            tree_.nodes[0].offset = token_offset;
            current = 0;
            return true;
        }
        if (name.empty())
            return fail(token_offset + 4, "empty node name below the root");
        uint32_t depth = tree_.nodes[current].depth + 1;
        if (depth > max_depth)
            return fail(token_offset, fmt::format("nodes nested deeper than {}", max_depth));
        if (tree_.nodes.size() == max_nodes)
            return fail(token_offset, fmt::format("more than {} nodes", max_nodes));
        uint32_t index = uint32_t(tree_.nodes.size());
        Node n;
        n.name = std::move(name);
        n.parent = current;
        n.depth = depth;
        n.offset = token_offset;
        tree_.nodes[current].children.push_back(index);
        tree_.nodes.push_back(std::move(n));
        current = index;
        return true;
    }

    bool structure() {
        pos_ = struct_off_;
        end_ = struct_off_ + struct_size_;
        uint32_t current = no_node; // open node, no_node before the root and after it closes
        bool root_closed = false;
        for (;;) {
            size_t token_offset = pos_;
            uint32_t token = 0;
            if (end_ - pos_ < 4)
                return fail(pos_, "structure block ends without FDT_END");
            token = be32(blob_, pos_);
            pos_ += 4;
            switch (token) {
            case token_nop:
                break;
            case token_begin_node:
                if (root_closed)
                    return fail(token_offset, "a node after the root node closed");
                if (!begin_node(current, token_offset))
                    return false;
                break;
            case token_end_node:
                if (current == no_node)
                    return fail(token_offset, "FDT_END_NODE without an open node");
                current = tree_.nodes[current].parent;
                root_closed = current == no_node;
                break;
            case token_prop:
                if (current == no_node)
                    return fail(token_offset, "property outside any node");
                if (!property(current, token_offset))
                    return false;
                break;
            case token_end:
                if (!root_closed)
                    return fail(token_offset, tree_.nodes.empty()
                                                  ? std::string("no root node")
                                                  : std::string("FDT_END while nodes are open"));
                return true;
            default:
                return fail(token_offset, fmt::format("unknown structure token {:#x}", token));
            }
        }
    }

    static size_t align4(size_t v) { return (v + 3) & ~size_t(3); }

    std::string_view blob_;
    const std::string& file_;
    Tree tree_;
    ScanError error_;
    uint64_t struct_off_ = 0, struct_size_ = 0, strings_off_ = 0, strings_size_ = 0;
    uint64_t rsvmap_off_ = 0;
    size_t pos_ = 0, end_ = 0;
};

} // namespace

Expected<Tree, ScanError> read_fdt(std::string_view blob, const std::string& file) {
    return Reader(blob, file).run();
}

} // namespace jailconf::scan::dt
