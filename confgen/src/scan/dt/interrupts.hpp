// Interrupt resolution: from a device's `interrupts` / `interrupts-extended` through its
// interrupt parent (inherited from ancestors) and any interrupt-map nexus nodes to the controller
// that finally takes the interrupt; GIC specifiers become INTIDs. Every chain is bounded, so
// cycles and dangling phandles end in an explanation instead of a hang.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "confgen/inventory.hpp"
#include "scan/dt/dt_index.hpp"

namespace jailconf::scan::dt {

struct IrqSpec {
    uint32_t controller = no_node;
    std::vector<uint32_t> cells;
};

// One entry of an interrupt-map.
struct MapEntry {
    std::vector<uint32_t> child_address;
    std::vector<uint32_t> child_spec;
    uint32_t parent = no_node;
    std::vector<uint32_t> parent_address;
    std::vector<uint32_t> parent_spec;
};

inline constexpr size_t max_map_entries = 4096;
inline constexpr uint32_t max_irq_hops = 32;
inline constexpr size_t max_device_irqs = 1024;

class Interrupts {
  public:
    explicit Interrupts(const Index& index) : index_(index) {}

    // A GIC distributor node (v2 or v3 binding).
    bool is_gic(uint32_t n) const;
    // The node taking `n`'s interrupts: its `interrupt-parent`, else the nearest ancestor
    // (following their `interrupt-parent`) with #interrupt-cells.
    std::optional<uint32_t> parent_of(uint32_t n, std::string& why) const;
    // Entries of `nexus`'s interrupt-map (cached), or nullptr with `why` set.
    const std::vector<MapEntry>* map_of(uint32_t nexus, std::string& why) const;
    // Follow `spec` given to `parent` (with the child's unit address) to a controller.
    std::optional<IrqSpec> resolve(uint32_t parent, std::vector<uint32_t> spec,
                                   std::vector<uint32_t> address, std::string& why) const;
    // A GIC specifier as an INTID, or nullopt with `why` set (not a GIC, bad type or number).
    std::optional<inventory::Interrupt> to_intid(const IrqSpec& spec, std::string& why) const;
    // All interrupts of a device: INTIDs in order, and a note for each one that is not one.
    void device_irqs(uint32_t n, std::vector<inventory::Interrupt>& irqs,
                     std::vector<std::string>& notes) const;

  private:
    struct CachedMap {
        std::vector<MapEntry> entries;
        std::string error;
    };
    bool read_map(uint32_t nexus, CachedMap& out) const;
    std::optional<inventory::Interrupt> one(uint32_t parent, std::vector<uint32_t> spec,
                                            const std::vector<uint32_t>& unit_address,
                                            std::string& why) const;

    const Index& index_;
    mutable std::unordered_map<uint32_t, CachedMap> maps_;
    // Entry comparisons left: bounds the time a hostile tree (many devices, huge maps) can take.
    mutable uint64_t budget_ = 1u << 24;
};

std::string cells_text(const std::vector<uint32_t>& cells); // "<0x0 0x21 0x4>"
inventory::Trigger gic_trigger(uint32_t flags);

} // namespace jailconf::scan::dt
