// JC-CONSOLE-UNMAPPED: a cell's console must be reachable by the cell, i.e. lie inside one of its
// regions (guest addresses) or, for a port-I/O UART, inside one of its port ranges. A console type
// that does not exist on the architecture is JC-ARCH-FIELD's finding and is skipped here.
#include <algorithm>
#include <fmt/format.h>

#include "check/check_util.hpp"
#include "check/checks.hpp"

namespace jailconf::checks {

bool console_applies(Arch arch, ConsoleType type) {
    switch (type) {
    case ConsoleType::pl011:
        return is_arm(arch);
    case ConsoleType::ns16550:
        return true;
    case ConsoleType::ns16550_pio:
        return arch == Arch::x86_64;
    }
    return false;
}

namespace {

void check_mmio(const Cell& cell, const Console& con, Diagnostics& diags) {
    const uint64_t size = std::max<uint64_t>(con.size, 1);
    auto last = last_address(con.base, size);
    const MemoryRegion* partial = nullptr;
    for (const MemoryRegion& r : cell.memory) {
        auto r_last = last_address(r.virt.value, r.size);
        if (!last || !r_last)
            continue;
        if (r.virt.value <= con.base && *last <= *r_last)
            return;
        if (!partial && r.virt.value <= *last && con.base <= *r_last)
            partial = &r;
    }
    const std::string range = last ? hex_range(con.base, *last) : fmt::format("at {:#x}", con.base);
    std::vector<RelatedLocation> related;
    if (partial)
        related.push_back({partial->loc, "this region covers only part of the console"});
    diags.report("JC-CONSOLE-UNMAPPED", con.loc,
                 fmt::format("console {} {} of cell '{}' is not inside any memory region of the "
                             "cell (guest addresses)",
                             to_string(con.type), range, cell.name),
                 fmt::format("add a region to cell '{}' such as {{phys: <UART address>, virt: "
                             "{:#x}, size: {:#x}, flags: [read, write, io]}}",
                             cell.name, page_round_down(con.base), page_round_up(size)),
                 std::move(related));
}

void check_pio(const Cell& cell, const Console& con, Diagnostics& diags) {
    const uint64_t size = std::max<uint64_t>(con.size, 1);
    const uint64_t last = last_address(con.base, size).value_or(UINT64_MAX);
    for (const PioRange& p : cell.pio)
        if (p.base <= con.base && last < uint64_t(p.base) + p.size)
            return;
    diags.report("JC-CONSOLE-UNMAPPED", con.loc,
                 fmt::format("console ns16550_pio at ports {:#x}-{:#x} of cell '{}' is not inside "
                             "any of the cell's `pio` ranges",
                             con.base, last, cell.name),
                 fmt::format("add {{base: {:#x}, size: {}}} to `pio` of cell '{}'", con.base, size,
                             cell.name));
}

} // namespace

void check_consoles(const System& system, Diagnostics& diags) {
    for (const Cell& cell : system.cells) {
        if (!cell.console || !console_applies(system.arch, cell.console->type))
            continue;
        if (cell.console->type == ConsoleType::ns16550_pio)
            check_pio(cell, *cell.console, diags);
        else
            check_mmio(cell, *cell.console, diags);
    }
}

} // namespace jailconf::checks
