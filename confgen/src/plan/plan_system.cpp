// The planner's order of work: the root system from the inventory (generate), then each
// requested cell in request order (CPUs, devices with the console's UART, console, RAM, comm
// region and watchdog), then the links, then the provenance of what the root kept. Earlier cells
// choose first; every step reports its own errors at the request's lines, and planning goes on
// with the next cell so that one run shows every problem.
#include <algorithm>
#include <fmt/format.h>

#include "plan/state.hpp"

namespace jailconf::plan {

using namespace detail;

namespace {

bool check_names(const Request& req, Diagnostics& diags) {
    bool ok = true;
    std::set<std::string> names;
    for (const auto& c : req.cells) {
        if (c.name == "root") {
            diags.report("JC-PLAN-CELL", c.loc,
                         "the name 'root' is the root cell's, which the planner builds itself",
                         "give the cell another name; link peers may name root");
            ok = false;
        } else if (!names.insert(c.name).second) {
            diags.report("JC-PLAN-CELL", c.loc, fmt::format("cell name '{}' is used twice", c.name),
                         "give every cell its own name");
            ok = false;
        }
    }
    return ok;
}

void normalise(Cell& c) {
    std::set<uint32_t> irqs;
    for (const auto& r : c.irqs)
        for (uint64_t id = r.first; id <= r.last; ++id)
            irqs.insert(uint32_t(id));
    c.irqs = to_ranges(irqs);
    std::sort(c.stream_ids.begin(), c.stream_ids.end(),
              [](const StreamId& a, const StreamId& b) { return a.id < b.id; });
    c.stream_ids.erase(
        std::unique(c.stream_ids.begin(), c.stream_ids.end(),
                    [](const StreamId& a, const StreamId& b) { return a.id == b.id; }),
        c.stream_ids.end());
    std::sort(c.pci_devices.begin(), c.pci_devices.end(),
              [](const PciDevice& a, const PciDevice& b) { return a.bdf < b.bdf; });
}

} // namespace

Expected<PlanResult, LoadFailure> plan_system(const inventory::Inventory& inv,
                                              const Request& request, GenerateOptions options,
                                              Diagnostics& diags) {
    size_t errors_before = diags.error_count();
    if (request.hv_memory_size)
        options.hv_memory_size = *request.hv_memory_size;
    if (request.hv_memory_phys)
        options.hv_memory_phys = *request.hv_memory_phys;
    auto generated = generate_root_system(inv, options);
    if (!generated) {
        diags.report("JC-PLAN-ROOT",
                     request.hv_loc.known() ? request.hv_loc : SourceLocation{request.file, 1, 1},
                     generated.error().message, generated.error().fix);
        return Unexpected(LoadFailure::invalid);
    }
    if (!check_names(request, diags))
        return Unexpected(LoadFailure::invalid);

    PlanResult result;
    result.system = std::move(generated->system);
    result.notes = std::move(generated->notes);
    State st(inv, request, result.system, diags);
    init_ram_pool(st);
    for (const auto& req : request.cells) {
        Cell cell;
        cell.name = req.name;
        // CPUs and devices are independent: both are tried so that one run reports both.
        bool ok = plan_cpus(st, req, cell);
        ok = plan_devices(st, req, cell) && ok;
        ok = ok && plan_console(st, req, cell) && plan_memory(st, req, cell) &&
             plan_comm_region(st, req, cell);
        if (!ok)
            continue;
        normalise(cell);
        st.sys.cells.push_back(std::move(cell));
    }
    if (diags.error_count() != errors_before)
        return Unexpected(LoadFailure::invalid);
    if (!plan_links(st))
        return Unexpected(LoadFailure::invalid);
    normalise(st.root());
    record_root(st);
    result.notes.insert(result.notes.end(), st.notes.begin(), st.notes.end());
    result.provenance = std::move(st.provenance);
    return result;
}

} // namespace jailconf::plan
