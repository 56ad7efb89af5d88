// CPUs of a non-root cell. A count takes the highest-numbered CPUs the root still has, never
// CPU 0 (it boots the root cell and takes the firmware's interrupts); a list takes exactly those
// CPUs, CPU 0 included when written. The root cell always keeps at least one CPU.
#include <fmt/format.h>

#include "plan/state.hpp"

namespace jailconf::plan::detail {
namespace {

std::string takers(const State& st) {
    std::map<std::string, uint32_t> count;
    for (const auto& kv : st.cpu_owner)
        ++count[kv.second];
    std::string out;
    for (const auto& kv : count)
        out += fmt::format(", {} took {}", kv.first, kv.second);
    return out;
}

void give(State& st, const CellRequest& req, Cell& cell, uint32_t id, const std::string& rule) {
    carve_id(st.root().cpus, id);
    st.cpu_owner[id] = cell.name;
    std::set<uint32_t> ids;
    for (const auto& r : cell.cpus)
        for (uint64_t i = r.first; i <= r.last; ++i)
            ids.insert(uint32_t(i));
    ids.insert(id);
    cell.cpus = to_ranges(ids);
    st.record(cell.name, cpu_key(id), "request", st.facts.cpu(id), req.cpus.loc, rule);
}

} // namespace

bool plan_cpus(State& st, const CellRequest& req, Cell& cell) {
    const auto& platform = st.sys.platform.cpus;
    if (req.cpus.kind == CpuRequest::Kind::list) {
        for (uint32_t id : req.cpus.ids) {
            bool exists = false;
            for (const auto& c : platform)
                exists |= c.id == id;
            if (!exists) {
                st.error("JC-PLAN-CPU", req.cpus.loc,
                         fmt::format("cell {} asks for CPU {}, which the machine does not have "
                                     "(platform has {} CPUs)",
                                     req.name, id, platform.size()),
                         "list CPUs the inventory names, or give a count");
                return false;
            }
            if (auto it = st.cpu_owner.find(id); it != st.cpu_owner.end()) {
                st.error("JC-PLAN-CPU", req.cpus.loc,
                         fmt::format("cell {} asks for CPU {}, already given to cell {}", req.name,
                                     id, it->second),
                         "give each CPU to one cell only");
                return false;
            }
        }
        size_t root_has = 0;
        for (const auto& r : st.root().cpus)
            root_has += r.last - r.first + 1;
        if (root_has <= req.cpus.ids.size()) {
            st.error("JC-PLAN-CPU", req.cpus.loc,
                     fmt::format("cell {} asks for every CPU the root cell still has ({}); the "
                                 "root cell needs one to run",
                                 req.name, root_has),
                     "leave at least one CPU (usually CPU 0) to the root cell");
            return false;
        }
        for (uint32_t id : req.cpus.ids)
            give(st, req, cell, id,
                 id == 0 ? "listed in the request (CPU 0 only ever leaves the root when listed)"
                         : "listed in the request");
        if (has_id(cell.cpus, 0))
            st.notes.push_back(fmt::format("cell {} takes CPU 0 as the request lists it; the "
                                           "root cell boots on another CPU",
                                           req.name));
        return true;
    }
    // A count: highest-numbered free CPUs first, never CPU 0.
    std::vector<uint32_t> candidates;
    for (auto it = platform.rbegin(); it != platform.rend(); ++it)
        if (it->id != 0 && has_id(st.root().cpus, it->id))
            candidates.push_back(it->id);
    const bool root_has_zero = has_id(st.root().cpus, 0);
    // Without CPU 0 the root keeps its lowest remaining CPU.
    if (!root_has_zero && !candidates.empty())
        candidates.pop_back();
    if (candidates.size() < req.cpus.count) {
        st.error("JC-PLAN-CPU", req.cpus.loc,
                 fmt::format("cell {} asks {} CPU{}; {} {} free after root keeps {} (platform "
                             "has {}{})",
                             req.name, req.cpus.count, req.cpus.count == 1 ? "" : "s",
                             candidates.size(), candidates.size() == 1 ? "is" : "are",
                             root_has_zero ? "CPU 0" : "one CPU", platform.size(), takers(st)),
                 "ask for fewer CPUs, or list CPU ids explicitly (CPU 0 only when the root "
                 "cell can boot on another CPU)");
        return false;
    }
    for (uint32_t i = 0; i < req.cpus.count; ++i)
        give(st, req, cell, candidates[i],
             "count in the request; the planner takes the highest-numbered CPUs the root cell "
             "has, never CPU 0");
    return true;
}

} // namespace jailconf::plan::detail
