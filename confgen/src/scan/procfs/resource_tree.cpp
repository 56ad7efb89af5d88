#include "scan/procfs/resource_tree.hpp"

#include <fmt/format.h>

#include "scan/procfs/text_numbers.hpp"
#include "scan/text_lines.hpp"

namespace jailconf::scan::procfs {
namespace {

constexpr size_t max_lines = 65536;
constexpr size_t max_line_length = 4096;
constexpr uint32_t max_depth = 32;

ScanError tree_error(const std::string& file, uint64_t offset, std::string message) {
    return ScanError::malformed_at(file, offset, std::move(message));
}

} // namespace

Expected<std::vector<ResourceLine>, ScanError> parse_resource_tree(std::string_view text,
                                                                   const std::string& file) {
    std::vector<ResourceLine> out;
    TextLines lines(text);
    for (TextLine next; lines.next(next);) {
        std::string_view line = next.text;
        size_t line_start = next.offset;
        if (line.empty())
            continue;
        if (line.size() > max_line_length)
            return Unexpected(tree_error(
                file, line_start, fmt::format("line longer than {} bytes", max_line_length)));
        if (out.size() == max_lines)
            return Unexpected(
                tree_error(file, line_start, fmt::format("more than {} lines", max_lines)));
        size_t spaces = 0;
        while (spaces < line.size() && line[spaces] == ' ')
            ++spaces;
        if (spaces % 2 != 0)
            return Unexpected(
                tree_error(file, line_start,
                           fmt::format("indentation of {} spaces is not two per level", spaces)));
        uint32_t depth = static_cast<uint32_t>(spaces / 2);
        uint32_t allowed = out.empty() ? 0 : out.back().entry.depth + 1;
        if (depth > allowed || depth > max_depth)
            return Unexpected(tree_error(
                file, line_start,
                depth > max_depth ? fmt::format("nested deeper than {} levels", max_depth)
                                  : fmt::format("indented to level {} below a line of level {}",
                                                depth, out.empty() ? 0 : out.back().entry.depth)));
        size_t at = spaces;
        auto start = parse_hex(line.substr(at));
        if (!start)
            return Unexpected(
                tree_error(file, line_start + at, "expected a start address of 1-16 hex digits"));
        at += start->length;
        if (at >= line.size() || line[at] != '-')
            return Unexpected(tree_error(file, line_start + at, "expected '-' after the start"));
        ++at;
        auto last = parse_hex(line.substr(at));
        if (!last)
            return Unexpected(
                tree_error(file, line_start + at, "expected an end address of 1-16 hex digits"));
        at += last->length;
        // " : " then the name; the kernel prints " : " even for an empty name.
        std::string_view rest = line.substr(at);
        if (rest.substr(0, 3) != " : " && rest != " :")
            return Unexpected(tree_error(file, line_start + at, "expected ' : ' after the end"));
        ResourceLine r;
        r.entry.start = start->value;
        r.entry.end = last->value;
        r.entry.depth = depth;
        r.entry.name = std::string(rest.size() > 3 ? rest.substr(3) : std::string_view{});
        r.offset = line_start;
        out.push_back(std::move(r));
    }
    return out;
}

bool addresses_hidden(const std::vector<ResourceLine>& lines) {
    if (lines.empty())
        return false;
    for (const auto& l : lines)
        if (l.entry.start != 0 || l.entry.end != 0)
            return false;
    return true;
}

} // namespace jailconf::scan::procfs
