// CPU ownership: JC-CPU-NONE, JC-CPU-ABSENT, JC-CPU-DUP and the platform CPU list
// (JC-PLATFORM-CPU-DUP).
#include <algorithm>
#include <fmt/format.h>
#include <utility>

#include "check/check_util.hpp"
#include "check/checks.hpp"

namespace jailconf::checks {
namespace {

void check_platform_duplicates(const Platform& platform, Diagnostics& diags) {
    const auto& cpus = platform.cpus;
    for_each_duplicate(
        cpus.size(), [&](uint32_t i) { return cpus[i].id; },
        [&](uint32_t first, uint32_t dup) {
            diags.report(
                "JC-PLATFORM-CPU-DUP", cpus[dup].loc,
                fmt::format("platform CPU id {} is listed twice", cpus[dup].id),
                "give every entry of `platform.cpus` its own id",
                {{cpus[first].loc, fmt::format("CPU {} first listed here", cpus[dup].id)}});
        });
    for_each_duplicate(
        cpus.size(), [&](uint32_t i) { return cpus[i].hw_id; },
        [&](uint32_t first, uint32_t dup) {
            diags.report("JC-PLATFORM-CPU-DUP", cpus[dup].loc,
                         fmt::format("platform CPUs {} and {} have the same hw_id {:#x}",
                                     cpus[first].id, cpus[dup].id, cpus[dup].hw_id),
                         fmt::format("set the hw_id (MPIDR or APIC ID) of CPU {} to its real value",
                                     cpus[dup].id),
                         {{cpus[first].loc, fmt::format("CPU {} with hw_id {:#x}", cpus[first].id,
                                                        cpus[first].hw_id)}});
        });
}

// Reports the ids of each cell CPU range that platform.cpus does not list (sorted, unique ids).
void check_absent(const System& system, const std::vector<uint32_t>& present, Diagnostics& diags) {
    const std::string platform_text = present.empty() ? "none" : compress_ids(present);
    for (const Cell& cell : system.cells) {
        for (const IdRange& range : cell.cpus) {
            std::vector<std::pair<uint32_t, uint32_t>> missing;
            uint64_t cur = range.first;
            for (auto it = std::ranges::lower_bound(present, range.first); cur <= range.last;
                 ++it) {
                if (it == present.end() || *it > range.last) {
                    missing.emplace_back(uint32_t(cur), range.last);
                    break;
                }
                if (*it > cur)
                    missing.emplace_back(uint32_t(cur), *it - 1);
                cur = uint64_t(*it) + 1;
            }
            if (missing.empty())
                continue;
            std::string text;
            for (size_t i = 0; i < missing.size() && i < 12; ++i)
                text += (i ? ", " : "") + id_range_text(missing[i].first, missing[i].second);
            if (missing.size() > 12)
                text += ", ...";
            bool plural = missing.size() > 1 || missing[0].first != missing[0].second;
            diags.report(
                "JC-CPU-ABSENT", range.loc,
                fmt::format("CPU{} {} of cell '{}' {} not on the platform (platform.cpus: {})",
                            plural ? "s" : "", text, cell.name, plural ? "are" : "is",
                            platform_text),
                fmt::format("assign CPUs listed in `platform.cpus` ({}) or add CPU{} {} there",
                            platform_text, plural ? "s" : "", text));
        }
    }
}

} // namespace

void check_cpus(const System& system, Diagnostics& diags) {
    check_platform_duplicates(system.platform, diags);

    for (const Cell& cell : system.cells) {
        if (std::ranges::none_of(cell.cpus, [](const IdRange& r) { return r.first <= r.last; }))
            diags.report("JC-CPU-NONE", cell.loc, fmt::format("cell '{}' has no CPU", cell.name),
                         fmt::format("add `cpus: [...]` to cell '{}' with at least one CPU of the "
                                     "platform that no other cell uses",
                                     cell.name));
    }

    std::vector<uint32_t> present;
    present.reserve(system.platform.cpus.size());
    for (const PlatformCpu& cpu : system.platform.cpus)
        present.push_back(cpu.id);
    std::ranges::sort(present);
    present.erase(std::unique(present.begin(), present.end()), present.end());
    check_absent(system, present, diags);

    check_shared_ids(system, {&Cell::cpus, "JC-CPU-DUP", "CPU"}, diags);
}

} // namespace jailconf::checks
