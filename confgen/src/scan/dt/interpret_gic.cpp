// The GIC (v2: GICD, GICC, GICH, GICV; v3: GICD, redistributor regions, optional legacy
// interfaces, ITS children) and its maintenance interrupt.
#include <fmt/format.h>

#include "scan/dt/interpret.hpp"
#include "scan/dt/translate.hpp"

namespace jailconf::scan::dt {
namespace {

// The root GIC: the first one whose interrupts (if any) do not go to another GIC. Cascaded
// secondary GICs stay ordinary devices.
uint32_t root_gic(Context& ctx) {
    for (uint32_t n : ctx.preorder) {
        if (!ctx.irqs.is_gic(n))
            continue;
        std::string why;
        auto parent = ctx.index.has(n, "interrupts") ? ctx.irqs.parent_of(n, why) : std::nullopt;
        if (parent && *parent != n && ctx.irqs.is_gic(*parent)) {
            ctx.warn("dt-secondary-gic",
                     fmt::format("{} is a GIC cascaded into {}: listed as a device",
                                 ctx.index.path(n), ctx.index.path(*parent)));
            continue;
        }
        return n;
    }
    return no_node;
}

} // namespace

void interpret_gic(Context& ctx) {
    const Index& ix = ctx.index;
    uint32_t n = root_gic(ctx);
    if (n == no_node) {
        ctx.warn("dt-no-gic", "no GIC interrupt controller in the device tree");
        return;
    }
    ctx.claim_subtree(n);
    inventory::Gic gic;
    bool v3 = ix.compatible_with(n, "arm,gic-v3");
    gic.type = v3 ? "gicv3" : "gicv2";
    gic.origin = ix.origin(n);
    std::vector<std::string> notes;
    auto regs = translated_regs(ix, n, notes);
    size_t next = 0;
    auto take = [&](inventory::Region& out) {
        if (next < regs.size())
            out = regs[next++];
    };
    take(gic.distributor);
    if (v3) {
        uint32_t count = ix.u32(n, "#redistributor-regions").value_or(1);
        for (uint32_t i = 0; i < count && next < regs.size(); ++i)
            gic.redistributors.push_back(regs[next++]);
        if (const Property* stride = ix.prop(n, "redistributor-stride")) {
            if (stride->value.size() == 8)
                gic.redistributor_stride = fdt::be64(stride->value, 0);
            else if (stride->value.size() == 4)
                gic.redistributor_stride = fdt::be32(stride->value, 0);
        }
    }
    take(gic.cpu_interface);
    take(gic.hyp_interface);
    take(gic.vcpu_interface);
    std::vector<inventory::Interrupt> maintenance;
    ctx.irqs.device_irqs(n, maintenance, notes);
    if (!maintenance.empty())
        gic.maintenance_irq = maintenance.front().id;
    uint32_t its_id = 0;
    for (uint32_t c : ix.node(n).children) {
        if (!ix.compatible_with(c, "arm,gic-v3-its") || !ix.enabled(c))
            continue;
        auto its_regs = translated_regs(ix, c, notes);
        if (its_regs.empty())
            continue;
        gic.its.push_back(inventory::Its{its_regs.front(), its_id++, ix.origin(c)});
    }
    for (const std::string& note : notes)
        ctx.warn("dt-gic", ix.path(n) + ": " + note);
    ctx.inv.gic = std::move(gic);
}

void interpret_timers(Context& ctx) {
    const Index& ix = ctx.index;
    for (uint32_t n : ctx.preorder) {
        if (!ix.compatible_with(n, "arm,armv8-timer") && !ix.compatible_with(n, "arm,armv7-timer"))
            continue;
        ctx.claim_subtree(n);
        inventory::Timer t;
        t.type = "arch-timer";
        std::vector<std::string> notes;
        ctx.irqs.device_irqs(n, t.irqs, notes);
        for (const std::string& note : notes)
            ctx.warn("dt-timer", ix.path(n) + ": " + note);
        t.origin = ix.origin(n);
        ctx.inv.timers.push_back(std::move(t));
    }
}

} // namespace jailconf::scan::dt
