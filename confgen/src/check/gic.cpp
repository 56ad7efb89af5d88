// JC-MEM-GIC: no cell region may map the interrupt controller. The ranges come from the shared
// freestanding definition (jailconf/gic_ranges.hpp) that the descriptor verifier and the
// hypervisor's cell_create use, so confgen refuses exactly what they would.
#include <fmt/format.h>

#include "check/check_util.hpp"
#include "check/checks.hpp"
#include "jailconf/gic_ranges.hpp"

namespace jailconf::checks {
namespace {

jcb::GicPlatform gic_platform(const Platform& p) {
    jcb::GicPlatform g;
    if (!p.irqchip)
        return g;
    const IrqChip& c = *p.irqchip;
    g.type = jcb::IrqChipType(uint8_t(c.type));
    g.has_gicd = c.gicd.has_value();
    g.has_gicc = c.gicc.has_value();
    g.has_gich = c.gich.has_value();
    g.has_gicr = c.gicr.has_value();
    g.gicd = c.gicd.value_or(0);
    g.gicc = c.gicc.value_or(0);
    g.gich = c.gich.value_or(0);
    g.gicr = c.gicr.value_or(0);
    g.gicr_stride = c.gicr_stride.value_or(0);
    g.cpus = uint32_t(p.cpus.size());
    return g;
}

} // namespace

void check_gic_mappings(const System& system, Diagnostics& diags) {
    if (!is_arm(system.arch))
        return;
    const jcb::GicRanges gic = jcb::gic_ranges(gic_platform(system.platform));
    if (gic.count == 0)
        return;
    for (const Cell& cell : system.cells) {
        for (size_t i = 0; i < cell.memory.size(); ++i) {
            const MemoryRegion& r = cell.memory[i];
            const jcb::GicRange* hit = jcb::gic_range_hit(gic, r.phys.value, r.size);
            if (hit == nullptr)
                continue;
            diags.report(
                "JC-MEM-GIC", r.loc,
                fmt::format("{} maps the {} {}; the hypervisor owns the interrupt controller",
                            describe_region(cell, i), jcb::gic_block_name(hit->block),
                            hex_range(hit->base, hit->base + (hit->size - 1))),
                "remove the region: the hypervisor emulates the distributor and redistributors "
                "for every cell, interrupt by interrupt");
        }
    }
}

} // namespace jailconf::checks
