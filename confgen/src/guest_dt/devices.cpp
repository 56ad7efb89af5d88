// Assigned devices: every enabled inventory device with a compatible whose registers all lie in
// the cell's `io` regions. The node keeps the host's compatible; `reg` is translated from the
// physical address to the cell's guest address (`virt` of the region holding it); `interrupts`
// lists the device's interrupts the cell owns, as GIC specifiers. With a host tree, the device's
// plain properties are copied, those that name other nodes by phandle are dropped (the guest has
// none of those nodes), and clocks that are fixed-clocks on the host become fixed-clock nodes of
// the same frequency so that drivers needing a clock (pl011 and other AMBA devices) can bind.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "guest_dt/parts.hpp"
#include "scan/dt/phandle_list.hpp"
#include "scan/dt/translate.hpp"

namespace jailconf::guest_dt::detail {
namespace {

using scan::dt::Index;

// Written by the builder from the inventory, or meaningless in the guest (bus-relative, or
// describing the host's node structure).
bool generated_property(std::string_view name) {
    static constexpr std::string_view names[] = {"compatible",
                                                 "reg",
                                                 "interrupts",
                                                 "interrupts-extended",
                                                 "interrupt-parent",
                                                 "status",
                                                 "phandle",
                                                 "linux,phandle",
                                                 "name",
                                                 "#address-cells",
                                                 "#size-cells",
                                                 "ranges",
                                                 "dma-ranges",
                                                 "clocks",
                                                 "clock-names"};
    return std::find(std::begin(names), std::end(names), name) != std::end(names);
}

// Properties holding phandles of other nodes (providers, consumers, graph links): the guest tree
// has none of those nodes, so they are dropped with their companion -names properties.
bool phandle_property(std::string_view n) {
    static constexpr std::string_view names[] = {"assigned-clocks",
                                                 "assigned-clock-parents",
                                                 "assigned-clock-rates",
                                                 "resets",
                                                 "reset-names",
                                                 "power-domains",
                                                 "power-domain-names",
                                                 "dmas",
                                                 "dma-names",
                                                 "iommus",
                                                 "iommu-map",
                                                 "iommu-map-mask",
                                                 "msi-parent",
                                                 "msi-map",
                                                 "msi-map-mask",
                                                 "interrupt-map",
                                                 "interrupt-map-mask",
                                                 "phys",
                                                 "phy-names",
                                                 "phy-handle",
                                                 "memory-region",
                                                 "memory-region-names",
                                                 "nvmem-cells",
                                                 "nvmem-cell-names",
                                                 "interconnects",
                                                 "interconnect-names",
                                                 "operating-points-v2",
                                                 "gpios",
                                                 "syscon",
                                                 "sram",
                                                 "mboxes",
                                                 "mbox-names",
                                                 "remote-endpoint",
                                                 "interrupt-affinity",
                                                 "cooling-device",
                                                 "thermal-sensors",
                                                 "pinctrl-names",
                                                 "access-controllers",
                                                 "io-channels",
                                                 "io-channel-names"};
    if (std::find(std::begin(names), std::end(names), n) != std::end(names))
        return true;
    for (std::string_view suffix : {"-gpios", "-gpio", "-supply", "-syscon", "-handle", "-phandle"})
        if (n.ends_with(suffix))
            return true;
    return n.starts_with("pinctrl-");
}

struct Placed {
    uint64_t guest_base;
    Node node;
};

class Devices {
  public:
    explicit Devices(Build& b) : b_(b) {
        // Unit addresses of the root's nodes so far (memory, GIC): siblings must not share one.
        for (const Node& n : b_.tree.root.children)
            if (size_t at = n.name.find('@'); at != std::string::npos)
                taken_.emplace(n.name.substr(at + 1), n.name);
    }

    std::string run() {
        for (const auto& d : b_.inv.devices)
            device(d);
        std::stable_sort(placed_.begin(), placed_.end(), [](const Placed& x, const Placed& y) {
            return x.guest_base != y.guest_base ? x.guest_base < y.guest_base
                                                : x.node.name < y.node.name;
        });
        for (auto& entry : clocks_)
            b_.tree.root.children.push_back(std::move(entry.second.node));
        std::string console;
        for (Placed& p : placed_) {
            if (b_.cell.console && b_.cell.console->base == p.guest_base && console.empty())
                console = "/" + p.node.name;
            b_.tree.root.children.push_back(std::move(p.node));
        }
        return console;
    }

  private:
    // The guest address of [base, base + size) when one `io` region of the cell holds it.
    std::optional<uint64_t> guest_address(uint64_t base, uint64_t size) const {
        for (const MemoryRegion& r : b_.cell.memory)
            if ((r.flags & mem_io) && base >= r.phys.value && size <= r.size &&
                base - r.phys.value <= r.size - size)
                return r.virt.value + (base - r.phys.value);
        return std::nullopt;
    }

    void device(const inventory::Device& d) {
        if (d.status != "okay" || d.compatible.empty() || d.regs.empty())
            return;
        std::vector<uint32_t> reg;
        size_t inside = 0;
        uint64_t first = 0;
        for (const auto& r : d.regs) {
            auto g = r.size ? guest_address(r.base, r.size) : std::nullopt;
            if (!g)
                continue;
            if (inside++ == 0)
                first = *g;
            push64(reg, *g);
            push64(reg, r.size);
        }
        if (inside == 0)
            return;
        if (inside != d.regs.size()) {
            b_.note(fmt::format("device {}: only {} of its {} register ranges are in the cell's io "
                                "regions; left out",
                                d.path, inside, d.regs.size()));
            return;
        }
        if (std::find(d.compatible.begin(), d.compatible.end(), "simple-bus") !=
            d.compatible.end()) {
            b_.note(fmt::format("device {}: a bus; its devices are written on their own", d.path));
            return;
        }
        std::string last = d.path.substr(d.path.rfind('/') + 1);
        Node n{node_name(scan::dt::base_name(last), first), {}, {}, {}};
        std::string unit = n.name.substr(n.name.find('@') + 1);
        if (auto it = taken_.find(unit); it != taken_.end()) {
            // dtc's unique_unit_address: e.g. a partition of an SRAM at the SRAM's address.
            b_.note(fmt::format("device {}: its address {:#x} is already the unit address of /{}; "
                                "left out",
                                d.path, first, it->second));
            return;
        }
        taken_.emplace(unit, n.name);
        n.properties.push_back(Property::strings("compatible", d.compatible));
        n.properties.push_back(Property::cells("reg", reg));
        std::vector<uint32_t> irqs;
        bool all_irqs = !d.irqs.empty();
        for (const auto& irq : d.irqs) {
            auto spec = owns_interrupt(b_.cell, irq.id)
                            ? gic_specifier(irq.id, irq.trigger, ppi_cpu_mask(b_))
                            : std::nullopt;
            if (!spec) {
                all_irqs = false;
                b_.note(fmt::format("device {}: interrupt {} is not the cell's; left out", d.path,
                                    irq.id));
                continue;
            }
            irqs.insert(irqs.end(), spec->begin(), spec->end());
        }
        if (!irqs.empty())
            n.properties.push_back(Property::cells("interrupts", irqs));
        if (b_.host)
            host_properties(d, n, all_irqs ? d.irqs.size() : 0);
        placed_.push_back(Placed{first, std::move(n)});
    }

    // `named_irqs`: how many interrupts the node lists when it lists all of the device's, else 0;
    // interrupt-names is copied only when it names exactly that many (the names line up).
    void host_properties(const inventory::Device& d, Node& n, size_t named_irqs) {
        const Index& ix = b_.host->impl().index;
        auto h = ix.find(d.path);
        std::vector<std::string> notes;
        auto regs = h ? scan::dt::translated_regs(ix, *h, notes) : std::vector<inventory::Region>{};
        if (!h || regs.empty() || regs.front() != d.regs.front()) {
            b_.note(fmt::format("device {}: not in the host device tree at the inventory's "
                                "address; only the inventory's facts are written",
                                d.path));
            return;
        }
        std::vector<std::string> dropped;
        const auto& node = ix.node(*h);
        for (uint32_t i = 0; i < node.property_count; ++i) {
            const auto& p = ix.tree().properties[node.first_property + i];
            if (generated_property(p.name))
                continue;
            bool names_fit = p.name != "interrupt-names" ||
                             size_t(std::count(p.value.begin(), p.value.end(), '\0')) == named_irqs;
            if (phandle_property(p.name) || !names_fit) {
                dropped.push_back(p.name);
                continue;
            }
            n.properties.push_back(Property::raw(p.name, p.value));
        }
        // An interrupt provider without #address-cells cannot be an interrupt-map parent
        // (dtc's interrupt_provider check); the guest has no map, so 0.
        if (n.find("interrupt-controller") && !n.find("#address-cells"))
            n.properties.push_back(Property::cells("#address-cells", {0}));
        fixed_clocks(*h, n, dropped);
        if (!dropped.empty()) {
            std::string list;
            for (const auto& name : dropped)
                list += (list.empty() ? "" : ", ") + name;
            b_.note(fmt::format("device {}: dropped {} (they refer to nodes the guest does not "
                                "have, or to interrupts it does not own)",
                                d.path, list));
        }
    }

    // `clocks` when every clock is a fixed-clock on the host: one fixed-clock node per frequency.
    void fixed_clocks(uint32_t h, Node& n, std::vector<std::string>& dropped) {
        const Index& ix = b_.host->impl().index;
        if (!ix.has(h, "clocks"))
            return;
        std::vector<scan::dt::PhandleRef> refs;
        std::string why;
        bool fixed =
            scan::dt::phandle_list(ix, h, "clocks", "#clock-cells", refs, why) && !refs.empty();
        std::vector<uint32_t> freqs;
        for (const auto& r : refs) {
            auto freq = ix.u32(r.node, "clock-frequency");
            fixed &= ix.compatible_with(r.node, "fixed-clock") && freq.has_value();
            freqs.push_back(freq.value_or(0));
        }
        if (!fixed) {
            dropped.push_back("clocks");
            if (ix.has(h, "clock-names"))
                dropped.push_back("clock-names");
            return;
        }
        std::vector<uint32_t> phandles;
        phandles.reserve(freqs.size());
        for (uint32_t f : freqs)
            phandles.push_back(clock(f));
        n.properties.push_back(Property::phandle_list("clocks", phandles));
        if (const auto* names = ix.prop(h, "clock-names"))
            n.properties.push_back(Property::raw("clock-names", names->value));
    }

    uint32_t clock(uint32_t frequency) {
        auto it = clocks_.find(frequency);
        if (it != clocks_.end())
            return it->second.phandle;
        uint32_t ph = b_.take_phandle();
        Node c{fmt::format("clock-{}", frequency), fmt::format("clock_{}", frequency), {}, {}};
        c.properties.push_back(Property::string("compatible", "fixed-clock"));
        c.properties.push_back(Property::cells("#clock-cells", {0}));
        c.properties.push_back(Property::cells("clock-frequency", {frequency}));
        c.properties.push_back(Property::cells("phandle", {ph}));
        clocks_.emplace(frequency, Clock{ph, std::move(c)});
        return ph;
    }

    struct Clock {
        uint32_t phandle;
        Node node;
    };

    Build& b_;
    std::vector<Placed> placed_;
    std::map<std::string, std::string> taken_; // unit address -> node name
    std::map<uint32_t, Clock> clocks_;         // by frequency
};

} // namespace

std::string add_devices(Build& b) {
    return Devices(b).run();
}

} // namespace jailconf::guest_dt::detail
