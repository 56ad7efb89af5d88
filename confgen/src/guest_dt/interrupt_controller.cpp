// The GIC as a cell sees it and the architected timer.
// GICv3: the distributor, and the redistributor frames of the cell's CPUs only (frame k at
// gicr + k * gicr_stride for logical CPU k, the order the scan reads /cpus in), one reg entry per
// run of consecutive frames with #redistributor-regions when there is more than one run. GICv2:
// the distributor and the CPU interface. Addresses are the platform's: the hypervisor places the
// GIC at the same guest address (docs/guest-device-trees.md, limits).
#include <fmt/format.h>

#include "guest_dt/parts.hpp"

namespace jailconf::guest_dt::detail {
namespace {

constexpr uint64_t gicv3_distributor_size = 0x10000;
constexpr uint64_t gicv2_distributor_size = 0x1000;
constexpr uint64_t gicv2_cpu_interface_size = 0x2000;
constexpr uint64_t default_gicr_stride = 0x20000;

// GIC binding interrupt types and the INTID ranges they number (arm,gic-v3.yaml).
constexpr uint32_t type_spi = 0, type_ppi = 1, type_espi = 2, type_eppi = 3;

uint32_t trigger_flags(inventory::Trigger t) {
    switch (t) {
    case inventory::Trigger::edge_rising:
        return 1;
    case inventory::Trigger::edge_falling:
        return 2;
    case inventory::Trigger::level_low:
        return 8;
    case inventory::Trigger::level_high:
    case inventory::Trigger::unknown:
        break;
    }
    return 4; // level-high: what the host tree most often says when the scan did not know
}

// The inventory's GIC when it is the platform's (same distributor), for sizes and compatible.
const inventory::Gic* inventory_gic(const Build& b, uint64_t gicd) {
    if (b.inv.gic && b.inv.gic->distributor.base == gicd)
        return &*b.inv.gic;
    return nullptr;
}

std::vector<std::string> gic_compatible(const Build& b, const inventory::Gic* g, bool v3) {
    if (b.host && g && !g->origin.node.empty())
        if (auto n = b.host->impl().index.find(g->origin.node)) {
            auto compat = b.host->impl().index.strings(*n, "compatible");
            if (!compat.empty())
                return compat;
        }
    return {v3 ? "arm,gic-v3" : "arm,cortex-a15-gic"};
}

} // namespace

bool owns_interrupt(const Cell& cell, uint32_t intid) {
    if (intid >= 16 && intid < 32)
        return true;
    for (const IdRange& r : cell.irqs)
        if (r.contains(intid))
            return true;
    return false;
}

std::optional<std::vector<uint32_t>> gic_specifier(uint32_t intid, inventory::Trigger trigger,
                                                   uint32_t cpu_mask) {
    uint32_t flags = trigger_flags(trigger);
    if (intid >= 16 && intid < 32)
        return std::vector<uint32_t>{type_ppi, intid - 16, flags | cpu_mask << 8};
    if (intid >= 32 && intid < 1020)
        return std::vector<uint32_t>{type_spi, intid - 32, flags};
    if (intid >= 1056 && intid < 1120)
        return std::vector<uint32_t>{type_eppi, intid - 1056, flags};
    if (intid >= 4096 && intid < 5120)
        return std::vector<uint32_t>{type_espi, intid - 4096, flags};
    return std::nullopt;
}

uint32_t ppi_cpu_mask(const Build& b) {
    const auto& chip = b.system.platform.irqchip;
    if (!chip || chip->type != IrqChipType::gicv2)
        return 0;
    uint32_t mask = 0;
    for (size_t i = 0; i < b.cpus.size() && i < 8; ++i)
        mask |= 1u << i;
    return mask;
}

std::optional<Error> add_interrupt_controller(Build& b) {
    const auto& chip = b.system.platform.irqchip;
    if (!chip || (chip->type != IrqChipType::gicv3 && chip->type != IrqChipType::gicv2))
        return input_error("the platform has no GIC (platform.irqchip): a guest needs its "
                           "interrupt controller",
                           "describe the GIC in platform.irqchip (type gicv3 or gicv2)");
    bool v3 = chip->type == IrqChipType::gicv3;
    if (!chip->gicd || (v3 && !chip->gicr) || (!v3 && !chip->gicc))
        return input_error(v3 ? "platform.irqchip: a GICv3 needs gicd and gicr"
                              : "platform.irqchip: a GICv2 needs gicd and gicc");
    const inventory::Gic* g = inventory_gic(b, *chip->gicd);
    std::vector<uint32_t> reg;
    Node gic{node_name("interrupt-controller", *chip->gicd), "gic", {}, {}};
    gic.properties.push_back(Property::strings("compatible", gic_compatible(b, g, v3)));
    gic.properties.push_back(Property::cells("#interrupt-cells", {3}));
    // No interrupt-map refers to the GIC with a unit address (dtc's interrupt_provider check).
    gic.properties.push_back(Property::cells("#address-cells", {0}));
    gic.properties.push_back(Property::flag("interrupt-controller"));
    if (v3) {
        uint64_t dsize = g && g->distributor.size ? g->distributor.size : gicv3_distributor_size;
        push64(reg, *chip->gicd);
        push64(reg, dsize);
        uint64_t stride = chip->gicr_stride.value_or(default_gicr_stride);
        const inventory::Region* rd =
            g && !g->redistributors.empty() && g->redistributors.front().base == *chip->gicr
                ? &g->redistributors.front()
                : nullptr;
        uint32_t regions = 0;
        for (size_t i = 0; i < b.cpus.size();) {
            size_t j = i + 1;
            while (j < b.cpus.size() && b.cpus[j] == b.cpus[j - 1] + 1)
                ++j;
            uint64_t base = *chip->gicr + uint64_t(b.cpus[i]) * stride;
            uint64_t size = uint64_t(j - i) * stride;
            if (rd && rd->size && (base < rd->base || base + size > rd->base + rd->size))
                return input_error(
                    fmt::format("cell '{}': the redistributor frames of CPUs {}-{} ({:#x}, {:#x} "
                                "bytes) lie outside the GIC's redistributor region {:#x}+{:#x}",
                                b.cell.name, b.cpus[i], b.cpus[j - 1], base, size, rd->base,
                                rd->size),
                    "check platform.irqchip gicr/gicr_stride and the CPU ids against the scan");
            push64(reg, base);
            push64(reg, size);
            ++regions;
            i = j;
        }
        gic.properties.push_back(Property::cells("reg", reg));
        if (regions > 1)
            gic.properties.push_back(Property::cells("#redistributor-regions", {regions}));
        if (stride != default_gicr_stride) {
            std::vector<uint32_t> s;
            push64(s, stride);
            gic.properties.push_back(Property::cells("redistributor-stride", s));
        }
    } else {
        push64(reg, *chip->gicd);
        push64(reg, g && g->distributor.size ? g->distributor.size : gicv2_distributor_size);
        push64(reg, *chip->gicc);
        push64(reg, g && g->cpu_interface.size ? g->cpu_interface.size : gicv2_cpu_interface_size);
        gic.properties.push_back(Property::cells("reg", reg));
    }
    b.gic_phandle = b.take_phandle();
    gic.properties.push_back(Property::cells("phandle", {b.gic_phandle}));
    b.tree.root.children.push_back(std::move(gic));
    return std::nullopt;
}

std::optional<Error> add_timer(Build& b) {
    const inventory::Timer* timer = nullptr;
    for (const auto& t : b.inv.timers)
        if (t.type == "arch-timer" && !t.irqs.empty()) {
            timer = &t;
            break;
        }
    if (!timer)
        return input_error("the inventory has no architected timer with interrupts: the guest's "
                           "timer node cannot be written",
                           "scan the machine from its device tree (confgen scan --dtb)");
    std::vector<uint32_t> cells;
    for (const auto& irq : timer->irqs) {
        auto spec = irq.id >= 16 && irq.id < 32
                        ? gic_specifier(irq.id, irq.trigger, ppi_cpu_mask(b))
                        : std::nullopt;
        if (!spec)
            return input_error(fmt::format("the architected timer's interrupt {} ({}) is not a "
                                           "PPI",
                                           irq.id, timer->origin.str()),
                               "check the timer node of the scanned device tree");
        cells.insert(cells.end(), spec->begin(), spec->end());
    }
    Node n{"timer", {}, {}, {}};
    n.properties.push_back(Property::strings("compatible", {"arm,armv8-timer"}));
    n.properties.push_back(Property::cells("interrupts", cells));
    b.tree.root.children.push_back(std::move(n));
    return std::nullopt;
}

} // namespace jailconf::guest_dt::detail
