// The pieces the guest tree builder assembles, one concern per file: CPUs and PSCI
// (cpus_psci.cpp), RAM and reserved memory (memory.cpp), the GIC and the timer
// (interrupt_controller.cpp), assigned devices and their host properties (devices.cpp), the
// whole cell (build_tree.cpp). They share one Build: the inputs, the tree being built, the notes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "confgen/guest_dt.hpp"
#include "scan/dt/dt_index.hpp"
#include "scan/dt/dt_tree.hpp"

namespace jailconf::guest_dt {

struct HostTree::Impl {
    explicit Impl(scan::dt::Tree t) : tree(std::move(t)), index(tree) {}
    scan::dt::Tree tree;
    scan::dt::Index index; // refers to `tree`: Impl never moves (it lives behind a unique_ptr)
};

namespace detail {

struct Build {
    const System& system;
    const Cell& cell;
    const inventory::Inventory& inv;
    const HostTree* host;
    Tree& tree;
    std::vector<uint32_t> cpus; // the cell's logical CPU ids, ascending
    uint32_t gic_phandle = 0;
    uint32_t next_phandle = 1;

    uint32_t take_phandle() { return next_phandle++; }
    void note(std::string line) { tree.notes.push_back(std::move(line)); }
};

inline Error input_error(std::string message, std::string fix = {}) {
    return Error{Error::Kind::input, std::move(message), std::move(fix)};
}

// Two cells per number, as #address-cells = #size-cells = 2 at the root.
inline void push64(std::vector<uint32_t>& cells, uint64_t v) {
    cells.push_back(uint32_t(v >> 32));
    cells.push_back(uint32_t(v));
}

// A node name from free text: characters outside the specification's set become '-'.
std::string node_name(std::string_view base, std::optional<uint64_t> unit_address);

// Whether the cell may receive this interrupt: an SPI listed in its irqs, or a PPI (per CPU, so
// every cell owns the PPIs of its own CPUs).
bool owns_interrupt(const Cell& cell, uint32_t intid);
// The GIC binding's 3-cell specifier (type, number, flags) of an INTID; nullopt for an SGI or an
// id outside every range. `ppi_cpu_mask` goes into bits 15:8 of a GICv2 PPI's flags.
std::optional<std::vector<uint32_t>> gic_specifier(uint32_t intid, inventory::Trigger trigger,
                                                   uint32_t ppi_cpu_mask);
uint32_t ppi_cpu_mask(const Build& b);

std::optional<Error> add_cpus_and_psci(Build& b);
std::optional<Error> add_memory(Build& b);
std::optional<Error> add_interrupt_controller(Build& b);
std::optional<Error> add_timer(Build& b);
// Returns the path of the device node at the cell's console address ("" when none).
std::string add_devices(Build& b);

} // namespace detail
} // namespace jailconf::guest_dt
