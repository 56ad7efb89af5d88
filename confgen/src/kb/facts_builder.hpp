// Shared state of build_facts: the tables being filled and the ownership lookups both halves
// (configuration facts, inventory facts) need.
#pragma once

#include <map>
#include <optional>
#include <set>

#include "kb/facts.hpp"
#include "kb/interval_index.hpp"

namespace jailconf::kb {

class FactsBuilder {
  public:
    FactsBuilder(const System& system, const inventory::Inventory* inventory,
                 const QuirkData& quirks);

    Table& table(std::string_view name);
    // Which cell owns each inventory device and PCI function, and who raises each interrupt.
    void index_ownership();
    void add_config_facts();
    void add_inventory_facts(); // only with an inventory
    void add_guest_facts(std::span<const GuestTree> trees);
    Facts take() { return std::move(facts_); }

  private:
    struct RegionRef {
        uint32_t cell;
        const MemoryRegion* region;
    };
    // The cell whose single region covers [base, end): a non-root cell wins over the root.
    const Cell* owner_of(uint64_t base, uint64_t end) const;
    const MemoryRegion* region_covering(const Cell& cell, uint64_t base, uint64_t end) const;
    std::vector<std::string> cells_touching(uint64_t base, uint64_t end) const;
    bool cell_has_irq(const Cell& cell, uint32_t intid) const;
    std::vector<std::string> cells_with_irq(uint32_t intid) const;
    SourceLocation irq_loc(const Cell& cell, uint32_t intid) const;
    std::vector<std::string> device_quirks(const std::vector<std::string>& compatible) const;
    std::vector<std::string> pci_quirks(const std::string& pci_id) const;

    // Inventory helpers.
    const inventory::PciFunction* inventory_function(const Bdf& bdf) const;
    std::optional<uint32_t> intx_irq(const inventory::PciFunction& f) const;
    std::string isolation_group(const inventory::PciFunction& f) const;
    bool path_has_acs(const inventory::PciFunction& f) const;
    bool iommu_covered(const inventory::PciFunction& f) const;
    bool below_ats_root(const inventory::PciFunction& f) const;
    const inventory::PciFunction* parent_of(const inventory::PciFunction& f) const;
    // Inventory device (DT path) or PCI function (BDF) -> its cell name and a location for it.
    std::string owner_of_device(const std::string& name) const;

    void add_machine();
    void add_hv();
    void add_cells_cpus();
    void add_regions_irqs();
    void add_pci();
    void add_gicr_blocks();
    void add_stream_ids_links();
    void add_devices();
    void add_reserved();

    const System& system_;
    const inventory::Inventory* inv_;
    const QuirkData& quirks_;
    Facts facts_;
    std::vector<RegionRef> regions_;
    IntervalIndex region_index_;
    std::map<uint32_t, std::vector<std::string>> irq_sources_;    // intid -> devices
    std::map<std::string, std::string> device_cell_;              // DT path or BDF -> cell
    std::map<std::string, SourceLocation> device_loc_;            // DT path or BDF -> location
    std::map<std::string, const inventory::PciFunction*> by_bdf_; // "0000:00:02.0"
};

inline bool is_root_name(const System& s, const std::string& cell) {
    const Cell* c = s.find_cell(cell);
    return c && c->root;
}

} // namespace jailconf::kb
