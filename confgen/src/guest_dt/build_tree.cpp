// One cell's guest tree, assembled from the parts in order: root properties, CPUs and PSCI,
// memory, the GIC, the timer, devices (and their fixed clocks), /aliases and /chosen.
#include <algorithm>

#include <fmt/format.h>

#include "guest_dt/parts.hpp"

namespace jailconf::guest_dt {
namespace detail {

std::string node_name(std::string_view base, std::optional<uint64_t> unit_address) {
    std::string out;
    for (char c : base) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == ',' || c == '.' || c == '_' || c == '+' || c == '-';
        out.push_back(ok ? c : '-');
    }
    if (out.empty())
        out = "node";
    if (unit_address)
        out += fmt::format("@{:x}", *unit_address);
    return out;
}

} // namespace detail

namespace {

constexpr size_t max_cpus = 4096; // the schema's bound on platform.cpus

// The baud rate the host's firmware set on the UART the cell's console is, 0 when unknown.
uint32_t console_baud(const Cell& cell, const inventory::Inventory& inv) {
    for (const MemoryRegion& r : cell.memory)
        if ((r.flags & mem_io) && cell.console->base >= r.virt.value &&
            cell.console->base - r.virt.value < r.size) {
            uint64_t phys = r.phys.value + (cell.console->base - r.virt.value);
            for (const auto& c : inv.consoles)
                if (!c.port_io && c.base == phys && c.baud)
                    return c.baud;
        }
    return 0;
}

} // namespace

using detail::Build;

Expected<Tree, Error> build_tree(const System& system, const Cell& cell,
                                 const inventory::Inventory& inventory, const HostTree* host) {
    if (system.arch != Arch::arm64)
        return Unexpected(Error{
            Error::Kind::unsupported,
            fmt::format("not supported yet: guest device trees for {}", to_string(system.arch)),
            ""});
    Tree tree;
    tree.cell = cell.name;
    Build b{system, cell, inventory, host, tree, {}};
    for (const IdRange& r : cell.cpus)
        for (uint64_t id = r.first; id <= r.last; ++id) {
            if (b.cpus.size() == max_cpus)
                return Unexpected(detail::input_error(
                    fmt::format("cell '{}' lists more than {} CPUs", cell.name, max_cpus)));
            b.cpus.push_back(uint32_t(id));
        }
    std::sort(b.cpus.begin(), b.cpus.end());
    b.cpus.erase(std::unique(b.cpus.begin(), b.cpus.end()), b.cpus.end());

    Node& root = tree.root;
    root.properties.push_back(Property::cells("#address-cells", {2}));
    root.properties.push_back(Property::cells("#size-cells", {2}));
    root.properties.push_back(Property::strings("compatible", {"jailconf,cell"}));
    root.properties.push_back(Property::string(
        "model", fmt::format("Jailconf cell {} on {}", cell.name, system.platform.name)));
    // The GIC comes first: its phandle is the root's interrupt-parent.
    if (auto e = detail::add_interrupt_controller(b))
        return Unexpected(std::move(*e));
    root.properties.push_back(Property::phandle_list("interrupt-parent", {b.gic_phandle}));
    if (auto e = detail::add_cpus_and_psci(b))
        return Unexpected(std::move(*e));
    if (auto e = detail::add_memory(b))
        return Unexpected(std::move(*e));
    if (auto e = detail::add_timer(b))
        return Unexpected(std::move(*e));
    std::string console = detail::add_devices(b);

    Node chosen{"chosen", {}, {}, {}};
    if (cell.console && console.empty())
        b.note(fmt::format("the cell's console at {:#x} is not one of its devices: no "
                           "stdout-path",
                           cell.console->base));
    if (!console.empty()) {
        Node aliases{"aliases", {}, {}, {}};
        aliases.properties.push_back(Property::string("serial0", console));
        root.children.push_back(std::move(aliases));
        std::string stdout_path = console;
        if (uint32_t baud = console_baud(cell, inventory))
            stdout_path += fmt::format(":{}n8", baud);
        chosen.properties.push_back(Property::string("stdout-path", stdout_path));
    }
    root.children.push_back(std::move(chosen));
    return tree;
}

} // namespace jailconf::guest_dt
