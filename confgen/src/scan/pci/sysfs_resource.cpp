#include "scan/pci/sysfs_resource.hpp"

#include <fmt/format.h>

#include "scan/procfs/text_numbers.hpp"
#include "scan/text_lines.hpp"

namespace jailconf::scan::pci {
namespace {

constexpr size_t max_lines = 64;
constexpr unsigned rom_index = 6;

ScanError resource_error(const std::string& file, uint64_t offset, std::string message) {
    return ScanError::malformed_at(file, offset, std::move(message));
}

std::string_view kind(bool io, bool is64, bool prefetchable) {
    if (io)
        return "io";
    if (is64)
        return prefetchable ? "mem64 prefetchable" : "mem64";
    return prefetchable ? "mem32 prefetchable" : "mem32";
}

} // namespace

Expected<std::vector<SysfsResource>, ScanError> parse_sysfs_resource(std::string_view text,
                                                                     const std::string& file) {
    std::vector<SysfsResource> out;
    TextLines lines(text);
    for (TextLine next; lines.next(next);) {
        std::string_view line = next.text;
        size_t pos = next.offset;
        if (out.size() == max_lines)
            return Unexpected(
                resource_error(file, pos, fmt::format("more than {} lines", max_lines)));
        SysfsResource r;
        uint64_t* fields[] = {&r.start, &r.end, &r.flags};
        size_t at = 0;
        for (size_t i = 0; i < 3; ++i) {
            if (i > 0) {
                if (at >= line.size() || line[at] != ' ')
                    return Unexpected(
                        resource_error(file, pos + at, "expected three space-separated numbers"));
                ++at;
            }
            auto number = procfs::parse_hex(line.substr(at), true);
            if (!number)
                return Unexpected(resource_error(file, pos + at,
                                                 "expected a 0x-prefixed "
                                                 "hexadecimal number of at most "
                                                 "16 digits"));
            *fields[i] = number->value;
            at += number->length;
        }
        if (at != line.size())
            return Unexpected(resource_error(file, pos + at, "unexpected text after the flags"));
        out.push_back(r);
    }
    return out;
}

std::vector<inventory::PciBar> bars_from_resource(const std::vector<SysfsResource>& lines,
                                                  const std::vector<ConfigBar>& config_bars,
                                                  inventory::PciFunction& fn) {
    std::vector<inventory::PciBar> bars;
    for (unsigned i = 0; i < lines.size() && i <= rom_index; ++i) {
        const SysfsResource& r = lines[i];
        if ((r.flags & (resource_io | resource_mem)) == 0 || r.end < r.start ||
            (r.start == 0 && r.end == 0))
            continue;
        inventory::PciBar bar;
        bar.index = static_cast<uint8_t>(i);
        bar.region.base = r.start;
        bar.region.size = r.end - r.start + 1; // 0 only for a BAR spanning all 2^64 bytes
        bar.io = (r.flags & resource_io) != 0;
        bar.is64 = (r.flags & resource_mem64) != 0;
        bar.prefetchable = (r.flags & resource_prefetch) != 0;
        if (r.flags & resource_unset)
            fn.notes.push_back(fmt::format("BAR {} has no address assigned by the kernel", i));
        if (i != rom_index) {
            const ConfigBar* reg = nullptr;
            for (const auto& c : config_bars)
                if (c.index == i)
                    reg = &c;
            if (!reg)
                fn.notes.push_back(fmt::format("BAR {}: sysfs lists it, config space has no BAR "
                                               "register starting there",
                                               i));
            else if (reg->io != bar.io || reg->is64 != bar.is64 ||
                     reg->prefetchable != bar.prefetchable)
                fn.notes.push_back(fmt::format("BAR {}: sysfs says {}, config space says {}", i,
                                               kind(bar.io, bar.is64, bar.prefetchable),
                                               kind(reg->io, reg->is64, reg->prefetchable)));
        }
        bars.push_back(bar);
    }
    return bars;
}

std::vector<inventory::PciBar> bars_from_config(const std::vector<ConfigBar>& config_bars) {
    std::vector<inventory::PciBar> bars;
    for (const auto& c : config_bars) {
        if (c.address == 0)
            continue; // unimplemented, or unassigned: cannot tell without sizing
        inventory::PciBar bar;
        bar.index = c.index;
        bar.region.base = c.address;
        bar.io = c.io;
        bar.is64 = c.is64;
        bar.prefetchable = c.prefetchable;
        bars.push_back(bar);
    }
    return bars;
}

} // namespace jailconf::scan::pci
