// JC-ROOT-COUNT and JC-CELL-NAME-DUP: the cell list as a whole.
#include <fmt/format.h>
#include <string_view>

#include "check/check_util.hpp"
#include "check/checks.hpp"

namespace jailconf::checks {

void check_cells(const System& system, Diagnostics& diags) {
    const Cell* first_root = nullptr;
    for (const Cell& cell : system.cells) {
        if (!cell.root)
            continue;
        if (!first_root) {
            first_root = &cell;
            continue;
        }
        diags.report(
            "JC-ROOT-COUNT", cell.loc,
            fmt::format("cell '{}' is marked as root, but cell '{}' already is the root cell",
                        cell.name, first_root->name),
            fmt::format("remove `root: true` from cell '{}'", cell.name),
            {{first_root->loc, fmt::format("root cell '{}'", first_root->name)}});
    }
    if (!first_root) {
        diags.report("JC-ROOT-COUNT", system.loc, "no cell is marked as the root cell",
                     system.cells.empty()
                         ? std::string("add the root cell under `cells:` with `root: true`")
                         : fmt::format("add `root: true` to the cell the hypervisor starts at "
                                       "boot (e.g. '{}')",
                                       system.cells.front().name));
    }

    const auto& cells = system.cells;
    for_each_duplicate(
        cells.size(), [&](uint32_t i) -> std::string_view { return cells[i].name; },
        [&](uint32_t first, uint32_t dup) {
            diags.report(
                "JC-CELL-NAME-DUP", cells[dup].loc,
                fmt::format("cell name '{}' is used by cells #{} and #{}", cells[dup].name, first,
                            dup),
                fmt::format("rename cell #{}, e.g. to '{}-{}'", dup, cells[dup].name, dup),
                {{cells[first].loc, fmt::format("first cell named '{}'", cells[dup].name)}});
        });
}

} // namespace jailconf::checks
