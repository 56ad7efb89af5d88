#include "scan/dt/interrupts.hpp"

#include <fmt/format.h>

#include "scan/dt/cells.hpp"

namespace jailconf::scan::dt {

using inventory::Interrupt;
using inventory::Trigger;

std::string cells_text(const std::vector<uint32_t>& cells) {
    std::string out = "<";
    for (size_t i = 0; i < cells.size(); ++i)
        out += fmt::format("{}{:#x}", i ? " " : "", cells[i]);
    return out + ">";
}

Trigger gic_trigger(uint32_t flags) {
    switch (flags & 0xf) {
    case 1:
        return Trigger::edge_rising;
    case 2:
        return Trigger::edge_falling;
    case 4:
        return Trigger::level_high;
    case 8:
        return Trigger::level_low;
    default:
        return Trigger::unknown;
    }
}

bool Interrupts::is_gic(uint32_t n) const {
    static constexpr const char* gics[] = {"arm,gic-v3",
                                           "arm,gic-400",
                                           "arm,cortex-a15-gic",
                                           "arm,cortex-a9-gic",
                                           "arm,cortex-a7-gic",
                                           "arm,arm11mp-gic",
                                           "arm,arm1176jzf-devchip-gic",
                                           "arm,pl390",
                                           "arm,tc11mp-gic",
                                           "arm,eb11mp-gic",
                                           "qcom,msm-qgic2",
                                           "qcom,msm-8660-qgic",
                                           "brcm,brahma-b15-gic",
                                           "nvidia,tegra210-agic"};
    if (!index_.has(n, "interrupt-controller"))
        return false;
    for (const char* c : gics)
        if (index_.compatible_with(n, c))
            return true;
    return false;
}

std::optional<uint32_t> Interrupts::parent_of(uint32_t n, std::string& why) const {
    uint32_t p = n;
    // Bounded: each step is a tree level or a phandle jump; a cycle runs into the limit.
    for (uint32_t hop = 0; hop < 2 * max_depth; ++hop) {
        if (const Property* ip = index_.prop(p, "interrupt-parent")) {
            if (ip->value.size() != 4) {
                why = fmt::format("`interrupt-parent` of {} is not one phandle", index_.path(p));
                return std::nullopt;
            }
            uint32_t ph = fdt::be32(ip->value, 0);
            auto target = index_.by_phandle(ph);
            if (!target) {
                why = fmt::format("`interrupt-parent` of {} names missing phandle {:#x}",
                                  index_.path(p), ph);
                return std::nullopt;
            }
            p = *target;
        } else {
            p = index_.node(p).parent;
            if (p == no_node) {
                why = fmt::format("no interrupt parent found for {}", index_.path(n));
                return std::nullopt;
            }
        }
        if (index_.has(p, "#interrupt-cells"))
            return p;
    }
    why =
        fmt::format("interrupt-parent chain of {} does not end (a phandle cycle?)", index_.path(n));
    return std::nullopt;
}

bool Interrupts::read_map(uint32_t nexus, CachedMap& out) const {
    const Property* map = index_.prop(nexus, "interrupt-map");
    const std::string& path = index_.path(nexus);
    auto fail = [&](std::string message) {
        out.error = std::move(message);
        out.entries.clear();
        return false;
    };
    auto int_cells = index_.u32(nexus, "#interrupt-cells");
    if (!map || !int_cells)
        return fail(fmt::format("{} has `interrupt-map` without #interrupt-cells", path));
    // The child unit address uses the nexus's #address-cells; 2 when absent, as Linux assumes.
    uint32_t addr_cells = index_.address_cells(nexus);
    if (addr_cells > max_number_cells || *int_cells > 16)
        return fail(fmt::format("{}: interrupt-map cell counts {}/{} are implausible", path,
                                addr_cells, *int_cells));
    Cells cells(map->value);
    while (!cells.done()) {
        if (out.entries.size() == max_map_entries)
            return fail(
                fmt::format("{}: more than {} interrupt-map entries", path, max_map_entries));
        size_t at = cells.cell_index();
        MapEntry e;
        uint32_t ph = 0;
        if (!cells.take(addr_cells, e.child_address) || !cells.take(*int_cells, e.child_spec) ||
            !cells.u32(ph))
            return fail(fmt::format("{}: interrupt-map entry at cell {} is truncated", path, at));
        auto parent = index_.by_phandle(ph);
        if (!parent)
            return fail(fmt::format("{}: interrupt-map entry at cell {} names missing phandle "
                                    "{:#x}",
                                    path, at, ph));
        auto parent_int = index_.u32(*parent, "#interrupt-cells");
        if (!parent_int || *parent_int > 16)
            return fail(fmt::format("{}: interrupt-map parent {} has no usable #interrupt-cells",
                                    path, index_.path(*parent)));
        // The parent unit address: its #address-cells, 0 when absent (as Linux reads it).
        uint32_t parent_addr = index_.u32(*parent, "#address-cells").value_or(0);
        if (parent_addr > max_number_cells)
            return fail(fmt::format("{}: #address-cells {} of {} is implausible", path, parent_addr,
                                    index_.path(*parent)));
        e.parent = *parent;
        if (!cells.take(parent_addr, e.parent_address) || !cells.take(*parent_int, e.parent_spec))
            return fail(fmt::format("{}: interrupt-map entry at cell {} is truncated", path, at));
        out.entries.push_back(std::move(e));
    }
    return true;
}

const std::vector<MapEntry>* Interrupts::map_of(uint32_t nexus, std::string& why) const {
    auto it = maps_.find(nexus);
    if (it == maps_.end()) {
        CachedMap m;
        read_map(nexus, m);
        it = maps_.emplace(nexus, std::move(m)).first;
    }
    if (!it->second.error.empty()) {
        why = it->second.error;
        return nullptr;
    }
    return &it->second.entries;
}

std::optional<IrqSpec> Interrupts::resolve(uint32_t parent, std::vector<uint32_t> spec,
                                           std::vector<uint32_t> address, std::string& why) const {
    uint32_t p = parent;
    for (uint32_t hop = 0; hop < max_irq_hops; ++hop) {
        if (index_.has(p, "interrupt-controller"))
            return IrqSpec{p, std::move(spec)};
        if (!index_.has(p, "interrupt-map")) {
            // Neither a controller nor a nexus: the specifier passes on to its own parent.
            auto next = parent_of(p, why);
            if (!next)
                return std::nullopt;
            p = *next;
            continue;
        }
        const std::vector<MapEntry>* entries = map_of(p, why);
        if (!entries)
            return std::nullopt;
        std::vector<uint32_t> mask;
        if (const Property* m = index_.prop(p, "interrupt-map-mask")) {
            Cells mc(m->value);
            uint32_t v = 0;
            while (mc.u32(v))
                mask.push_back(v);
        }
        const MapEntry* found = nullptr;
        for (const MapEntry& e : *entries) {
            if (budget_ == 0) {
                why = "interrupt-map work limit reached (a hostile or broken tree)";
                return std::nullopt;
            }
            --budget_;
            bool match = e.child_spec.size() == spec.size();
            size_t k = 0;
            for (size_t i = 0; match && i < e.child_address.size(); ++i, ++k) {
                uint32_t a = i < address.size() ? address[i] : 0;
                uint32_t mk = k < mask.size() ? mask[k] : 0xffffffff;
                match = ((a ^ e.child_address[i]) & mk) == 0;
            }
            for (size_t i = 0; match && i < e.child_spec.size(); ++i, ++k) {
                uint32_t mk = k < mask.size() ? mask[k] : 0xffffffff;
                match = ((spec[i] ^ e.child_spec[i]) & mk) == 0;
            }
            if (match) {
                found = &e;
                break;
            }
        }
        if (!found) {
            why = fmt::format("no interrupt-map entry of {} matches unit address {} interrupt {}",
                              index_.path(p), cells_text(address), cells_text(spec));
            return std::nullopt;
        }
        p = found->parent;
        spec = found->parent_spec;
        address = found->parent_address;
    }
    why = fmt::format("interrupt routing from {} takes more than {} steps (a cycle?)",
                      index_.path(parent), max_irq_hops);
    return std::nullopt;
}

std::optional<Interrupt> Interrupts::to_intid(const IrqSpec& s, std::string& why) const {
    if (!is_gic(s.controller)) {
        why = fmt::format("interrupt {} goes to {}, not the GIC: no INTID", cells_text(s.cells),
                          index_.path(s.controller));
        return std::nullopt;
    }
    if (s.cells.size() < 2) {
        why = fmt::format("GIC interrupt {} has fewer than 2 cells", cells_text(s.cells));
        return std::nullopt;
    }
    uint32_t type = s.cells[0], number = s.cells[1];
    Trigger trigger = s.cells.size() >= 3 ? gic_trigger(s.cells[2]) : Trigger::unknown;
    // Types as in the GIC bindings: SPI, PPI, extended SPI, extended PPI.
    struct Range {
        uint32_t base, count;
    };
    static constexpr Range ranges[] = {{32, 988}, {16, 16}, {4096, 1024}, {1056, 64}};
    if (type >= 4 || number >= ranges[type].count) {
        why = fmt::format("GIC interrupt {} has an unknown type or an out-of-range number",
                          cells_text(s.cells));
        return std::nullopt;
    }
    return Interrupt{ranges[type].base + number, trigger};
}

std::optional<Interrupt> Interrupts::one(uint32_t parent, std::vector<uint32_t> spec,
                                         const std::vector<uint32_t>& unit_address,
                                         std::string& why) const {
    auto s = resolve(parent, std::move(spec), unit_address, why);
    if (!s)
        return std::nullopt;
    return to_intid(*s, why);
}

void Interrupts::device_irqs(uint32_t n, std::vector<Interrupt>& irqs,
                             std::vector<std::string>& notes) const {
    // The unit address a nexus matches on: the first cells of the device's own `reg`.
    std::vector<uint32_t> unit;
    if (const Property* reg = index_.prop(n, "reg")) {
        Cells rc(reg->value);
        uint32_t v = 0;
        while (unit.size() < max_number_cells && rc.u32(v))
            unit.push_back(v);
    }
    std::string why;
    if (const Property* ext = index_.prop(n, "interrupts-extended")) {
        Cells cells(ext->value);
        while (!cells.done()) {
            if (irqs.size() + notes.size() >= max_device_irqs) {
                notes.push_back(
                    fmt::format("more than {} interrupts: the rest are ignored", max_device_irqs));
                return;
            }
            uint32_t ph = 0;
            (void)cells.u32(ph);
            auto parent = index_.by_phandle(ph);
            if (!parent) {
                notes.push_back(
                    fmt::format("`interrupts-extended` names missing phandle {:#x}", ph));
                return;
            }
            auto count = index_.u32(*parent, "#interrupt-cells");
            std::vector<uint32_t> spec;
            if (!count || !cells.take(*count, spec)) {
                notes.push_back(fmt::format("`interrupts-extended`: {} has no #interrupt-cells or "
                                            "the property is truncated",
                                            index_.path(*parent)));
                return;
            }
            if (auto irq = one(*parent, std::move(spec), unit, why))
                irqs.push_back(*irq);
            else
                notes.push_back(why);
        }
        return;
    }
    const Property* ints = index_.prop(n, "interrupts");
    if (!ints)
        return;
    auto parent = parent_of(n, why);
    if (!parent) {
        notes.push_back(why);
        return;
    }
    uint32_t count = index_.u32(*parent, "#interrupt-cells").value_or(0);
    if (count == 0 || count > 16 || ints->value.size() % (4 * count) != 0) {
        notes.push_back(
            fmt::format("`interrupts` ({} bytes) does not fit #interrupt-cells {} of {}",
                        ints->value.size(), count, index_.path(*parent)));
        return;
    }
    Cells cells(ints->value);
    std::vector<uint32_t> spec;
    while (cells.take(count, spec)) {
        if (irqs.size() + notes.size() >= max_device_irqs) {
            notes.push_back(
                fmt::format("more than {} interrupts: the rest are ignored", max_device_irqs));
            return;
        }
        if (auto irq = one(*parent, spec, unit, why))
            irqs.push_back(*irq);
        else
            notes.push_back(why);
    }
}

} // namespace jailconf::scan::dt
