// The planner's working state, shared by its steps (one file per concern): the system being
// built (root cell first), who owns what so far, the free RAM pool, and the provenance records.
#pragma once

#include <fmt/format.h>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "confgen/plan.hpp"
#include "generate/ranges.hpp"

namespace jailconf::plan::detail {

using generate::Span;

// Scanned facts worded for provenance: "CPU 3 (hw_id 0x3), virt.dtb:/cpus/cpu@3".
class Facts {
  public:
    explicit Facts(const inventory::Inventory& inv) : inv_(inv) {}
    std::string cpu(uint32_t id) const;
    std::string memory(Span s) const; // RAM range, device registers, firmware range, or BAR
    std::string irq(uint32_t intid) const;
    std::string pci(const Bdf& bdf) const;
    std::string stream_id(uint32_t sid) const;
    std::string console(uint64_t base) const;

  private:
    const inventory::Inventory& inv_;
};

struct State {
    State(const inventory::Inventory& i, const Request& r, System& s, Diagnostics& d)
        : inv(i), req(r), sys(s), diags(d), facts(i) {}

    const inventory::Inventory& inv;
    const Request& req;
    System& sys;
    Diagnostics& diags;
    Facts facts;
    std::vector<std::string> notes;
    std::vector<Provenance> provenance;

    std::map<uint32_t, std::string> cpu_owner;       // CPUs given to non-root cells
    std::map<std::string, std::string> device_owner; // DT path -> cell
    std::map<uint32_t, std::string> pci_owner;       // packed BDF -> cell
    std::map<uint32_t, std::string> irq_owner;       // INTIDs given to non-root cells or links
    std::vector<Span> free_ram;                      // root RAM not yet given away, ascending

    Cell& root() { return sys.cells.front(); }
    void error(std::string_view rule, const SourceLocation& loc, std::string message,
               std::string fix) {
        diags.report(rule, loc, std::move(message), std::move(fix));
    }
    std::string at(const SourceLocation& loc) const {
        return loc.known() ? fmt::format("{}:{}:{}", loc.file, loc.line, loc.column) : "";
    }
    void record(const std::string& cell, std::string key, std::string source, std::string fact,
                const SourceLocation& loc, std::string rule) {
        provenance.push_back(Provenance{cell, std::move(key), std::move(source), std::move(fact),
                                        at(loc), std::move(rule)});
    }
};

// Keys shared by provenance and `list_resources`.
std::string cpu_key(uint32_t id);
std::string memory_key(uint64_t phys);
std::string irq_key(uint32_t intid);
std::string pci_key(const Bdf& bdf);
std::string sid_key(uint32_t sid);
std::string pio_key(uint16_t base);
std::string link_key(const std::string& name);
std::string doorbell_key(const std::string& name);

// Root-cell surgery (root_carve.cpp): remove a range of pages from every root region, ids from
// the root's id lists. Each returns true when the root had (part of) it.
bool carve_memory(Cell& root, Span s);
bool carve_id(std::vector<IdRange>& ranges, uint32_t id);
bool has_id(const std::vector<IdRange>& ranges, uint32_t id);
std::vector<IdRange> to_ranges(const std::set<uint32_t>& ids);

// The free-RAM pool (ram_pool.cpp).
void init_ram_pool(State& st);
// Highest-address `size` bytes aligned to `align` in the pool, avoiding `avoid`; removed from
// the pool and from the root's memory. nullopt when nothing fits.
std::optional<Span> allocate_ram(State& st, uint64_t size, uint64_t align,
                                 const std::vector<Span>& avoid = {});
// Exactly [phys, phys + size), if it is free RAM; else the reason.
Expected<Span, std::string> claim_ram(State& st, uint64_t phys, uint64_t size);
uint64_t largest_free(const State& st, uint64_t align);

// Steps, in the order plan_system runs them; each reports its own errors and returns false.
bool plan_cpus(State& st, const CellRequest& req, Cell& cell);
bool plan_devices(State& st, const CellRequest& req, Cell& cell);
bool plan_console(State& st, const CellRequest& req, Cell& cell);
// The UART the cell's console needs as a device: the request's selector, or for `console: auto`
// a free UART the hypervisor does not use (nullopt: none, or no console requested).
std::optional<DeviceSelector> console_device(State& st, const CellRequest& req);
bool selector_matches(const DeviceSelector& s, const inventory::Device& d);
bool plan_memory(State& st, const CellRequest& req, Cell& cell);
bool plan_comm_region(State& st, const CellRequest& req, Cell& cell);
bool plan_links(State& st);
// Provenance of everything the root cell kept.
void record_root(State& st);

// Guest ranges a cell already maps (its regions at `virt`, and its links).
std::vector<Span> guest_spans(const System& sys, const Cell& cell);

} // namespace jailconf::plan::detail
