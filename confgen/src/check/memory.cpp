// The shape of each memory range on its own: JC-MEM-ZERO-SIZE, JC-MEM-OVERFLOW and JC-MEM-ALIGN,
// for cell regions and for the hypervisor's memory. Overlaps are in overlaps.cpp.
#include <fmt/format.h>

#include "check/check_util.hpp"
#include "check/checks.hpp"

namespace jailconf::checks {
namespace {

// What is checked: a range with a physical and (possibly equal) guest start.
struct Shape {
    std::string what; // "region 'ram' of cell 'rt'", "hypervisor memory"
    uint64_t phys = 0;
    std::optional<uint64_t> virt; // absent: no guest address (hypervisor memory)
    uint64_t size = 0;
    const SourceLocation* loc = nullptr;
};

void check_overflow(const Shape& s, Diagnostics& diags) {
    auto report = [&](std::string_view kind, uint64_t start) {
        diags.report("JC-MEM-OVERFLOW", *s.loc,
                     fmt::format("{}: {} {:#x} + size {:#x} runs past 2^64; it is left out of the "
                                 "overlap checks",
                                 s.what, kind, start, s.size),
                     fmt::format("reduce the size to at most {:#x} or lower {}", ~start + 1, kind));
    };
    if (!last_address(s.phys, s.size))
        report("phys", s.phys);
    if (s.virt && *s.virt != s.phys && !last_address(*s.virt, s.size))
        report("virt", *s.virt);
}

void check_alignment(const Shape& s, Diagnostics& diags) {
    std::string bad, fix;
    auto field = [&](std::string_view name, uint64_t value, uint64_t rounded) {
        if (page_aligned(value))
            return;
        bad += fmt::format("{}{} {:#x}", bad.empty() ? "" : ", ", name, value);
        fix += fmt::format("{}{} {:#x}", fix.empty() ? "" : ", ", name, rounded);
    };
    field("phys", s.phys, page_round_down(s.phys));
    if (s.virt && *s.virt != s.phys)
        field("virt", *s.virt, page_round_down(*s.virt));
    field("size", s.size, page_round_up(s.size));
    if (bad.empty())
        return;
    diags.report("JC-MEM-ALIGN", *s.loc,
                 fmt::format("{}: {} not a multiple of 4 KiB (0x1000)", s.what, bad),
                 fmt::format("use {} (whole 4 KiB pages)", fix));
}

void check_shape(const Shape& s, Diagnostics& diags) {
    if (s.size == 0)
        diags.report(
            "JC-MEM-ZERO-SIZE", *s.loc, fmt::format("{} has size 0", s.what),
            fmt::format("give {} a non-zero size in whole 4 KiB pages, or remove it", s.what));
    else
        check_overflow(s, diags);
    check_alignment(s, diags);
}

} // namespace

void check_memory_shape(const System& system, Diagnostics& diags) {
    const Hypervisor& hv = system.hypervisor;
    check_shape(
        {"hypervisor memory", hv.memory_phys.value, std::nullopt, hv.memory_size, &hv.memory_loc},
        diags);
    for (const Cell& cell : system.cells) {
        for (size_t i = 0; i < cell.memory.size(); ++i) {
            const MemoryRegion& r = cell.memory[i];
            if (r.size != 0 && page_aligned(r.phys.value | r.virt.value | r.size) &&
                last_address(r.phys.value, r.size) && last_address(r.virt.value, r.size))
                continue; // the common case, without building a message
            check_shape({fmt::format("region {} of cell '{}'", region_label(r, i), cell.name),
                         r.phys.value, r.virt.value, r.size, &r.loc},
                        diags);
        }
    }
}

} // namespace jailconf::checks
