// JC-SID-DUP: an IOMMU stream id has one owner, counted across cells and within a cell.
#include <fmt/format.h>

#include "check/check_util.hpp"
#include "check/checks.hpp"

namespace jailconf::checks {

void check_stream_ids(const System& system, Diagnostics& diags) {
    struct Ref {
        uint32_t cell;
        const StreamId* sid;
    };
    std::vector<Ref> refs;
    for (uint32_t c = 0; c < system.cells.size(); ++c)
        for (const StreamId& sid : system.cells[c].stream_ids)
            refs.push_back({c, &sid});
    for_each_duplicate(
        refs.size(), [&](uint32_t i) { return refs[i].sid->id; },
        [&](uint32_t first, uint32_t dup) {
            const Cell& first_cell = system.cells[refs[first].cell];
            const Cell& dup_cell = system.cells[refs[dup].cell];
            const uint32_t id = refs[dup].sid->id;
            bool same = refs[first].cell == refs[dup].cell;
            diags.report(
                "JC-SID-DUP", refs[dup].sid->loc,
                same
                    ? fmt::format("stream id {:#x} is listed twice in cell '{}'", id, dup_cell.name)
                    : fmt::format("stream id {:#x} of cell '{}' is also assigned to cell '{}'", id,
                                  dup_cell.name, first_cell.name),
                same ? fmt::format("remove the second {:#x}", id)
                     : fmt::format("remove stream id {:#x} from cell '{}' or from cell '{}'", id,
                                   dup_cell.name, first_cell.name),
                {{refs[first].sid->loc,
                  fmt::format("first assigned to cell '{}' here", first_cell.name)}});
        });
}

} // namespace jailconf::checks
