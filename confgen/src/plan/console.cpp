// The console of a non-root cell: a UART of its own that the cell drives directly. `auto` takes
// a UART the cell's devices already include, else the first free one the inventory lists as a
// console candidate; never the hypervisor's console. Without one the cell writes through the
// hypervisor's console (the console_write hypercall, docs/hypercalls.md).
#include <fmt/format.h>

#include "generate/parts.hpp"
#include "plan/state.hpp"

namespace jailconf::plan::detail {
namespace {

const inventory::Device* device_at(const State& st, const std::string& path) {
    for (const auto& d : st.inv.devices)
        if (d.path == path)
            return &d;
    return nullptr;
}

bool is_hv_console(const State& st, const inventory::Console& c) {
    return st.sys.hypervisor.console && st.sys.hypervisor.console->base == c.base;
}

} // namespace

std::optional<DeviceSelector> console_device(State& st, const CellRequest& req) {
    if (req.console) {
        DeviceSelector s = *req.console;
        if (s.kind == DeviceSelector::Kind::compatible && !s.count)
            s.count = 1;
        return s;
    }
    if (!req.console_auto)
        return std::nullopt;
    const inventory::Console* free_uart = nullptr;
    for (const auto& c : st.inv.consoles) {
        if (c.path.empty() || is_hv_console(st, c) || !generate::console_for(c, st.sys.arch))
            continue;
        const inventory::Device* d = device_at(st, c.path);
        if (!d || d->status != "okay" || st.device_owner.count(d->path))
            continue;
        for (const auto& s : req.devices)
            if (selector_matches(s, *d))
                return std::nullopt; // already one of the cell's devices
        if (!free_uart)
            free_uart = &c;
    }
    if (!free_uart)
        return std::nullopt;
    DeviceSelector s;
    s.kind = DeviceSelector::Kind::path;
    s.text = free_uart->path;
    s.loc = req.console_loc;
    return s;
}

bool plan_console(State& st, const CellRequest& req, Cell& cell) {
    if (!req.console && !req.console_auto)
        return true;
    // The cell's UART: a device it now owns that the inventory lists as a console candidate.
    for (const auto& c : st.inv.consoles) {
        auto owner = st.device_owner.find(c.path);
        if (c.path.empty() || owner == st.device_owner.end() || owner->second != cell.name)
            continue;
        const inventory::Device* d = device_at(st, c.path);
        if (req.console && d && !selector_matches(*req.console, *d))
            continue;
        auto con = generate::console_for(c, st.sys.arch);
        if (!con) {
            if (req.console_auto)
                continue;
            st.error("JC-PLAN-CONSOLE", req.console_loc,
                     fmt::format("cell {}: the UART {} is a '{}', which the format cannot "
                                 "describe as a console (pl011, ns16550)",
                                 req.name, c.path, c.type),
                     "give it as a device instead, or choose a pl011 or 16550 UART");
            return false;
        }
        cell.console = *con;
        st.record(cell.name, "console", "inventory",
                  fmt::format("{} UART {} at {:#x} ({})", c.type, c.path, c.base, c.origin.str()),
                  req.console_loc,
                  req.console ? "selected by the request"
                              : "console: auto takes a free UART of the inventory, never the "
                                "hypervisor's");
        return true;
    }
    if (req.console) {
        st.error("JC-PLAN-CONSOLE", req.console_loc,
                 fmt::format("cell {}: {} is not a UART the inventory lists as a console", req.name,
                             req.console->describe()),
                 "select a serial device (see `consoles:` in the inventory), or use auto");
        return false;
    }
    st.notes.push_back(fmt::format("cell {}: no free UART for `console: auto` (the hypervisor's "
                                   "console is not given away); the cell writes through the "
                                   "hypervisor console",
                                   req.name));
    return true;
}

} // namespace jailconf::plan::detail
