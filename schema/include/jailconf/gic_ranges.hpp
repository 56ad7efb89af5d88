// The physical ranges of the interrupt controller that only the hypervisor may touch: the GIC
// distributor, every GICv3 redistributor frame (one per platform CPU), and the GICv2 CPU and
// hypervisor interfaces. A cell region over any of them would hand the cell the physical GIC
// around the hypervisor's per-interrupt filter. One definition for the descriptor verifier
// (system blobs), the hypervisor's cell_create and confgen's JC-MEM-GIC check. The GICv2 virtual
// CPU interface (gicv) is not among them: it is what a GICv2 cell is given as its CPU interface.
// An ITS is not named by the platform (format v1), so it cannot be listed here.
// Freestanding: <stdint.h> only.
#pragma once

#include <stdint.h>

#include "jailconf/format.hpp"

namespace jailconf::jcb {

enum class GicBlock : uint8_t {
    none = 0,
    distributor = 1,
    redistributors = 2, // GICv3: gicr + gicr_stride x platform CPUs
    cpu_interface = 3,  // GICv2 GICC
    hyp_interface = 4,  // GICv2 GICH
};

constexpr const char* gic_block_name(GicBlock b) {
    switch (b) {
    case GicBlock::distributor:
        return "GIC distributor";
    case GicBlock::redistributors:
        return "GIC redistributors";
    case GicBlock::cpu_interface:
        return "GIC CPU interface";
    case GicBlock::hyp_interface:
        return "GIC hypervisor interface";
    default:
        return "GIC";
    }
}

inline constexpr uint64_t gicv3_distributor_size = 0x10000; // GICD: 64 KiB
inline constexpr uint64_t gicv2_distributor_size = 0x1000;  // GICD: 4 KiB
inline constexpr uint64_t gicv2_interface_size = 0x2000;    // GICC, GICH: 8 KiB
inline constexpr uint64_t gicv3_default_stride = 0x20000;   // RD_base + SGI_base

// The addresses the platform gives, with their presence (absent fields are ignored).
struct GicPlatform {
    IrqChipType type = IrqChipType(0); // 0: no interrupt controller
    bool has_gicd = false, has_gicc = false, has_gich = false, has_gicr = false;
    uint64_t gicd = 0, gicc = 0, gich = 0, gicr = 0;
    uint64_t gicr_stride = 0; // 0: gicv3_default_stride
    uint32_t cpus = 1;        // platform CPUs (redistributor frames); at least 1 counted
};

struct GicRange {
    GicBlock block = GicBlock::none;
    uint64_t base = 0;
    uint64_t size = 0; // clamped so base + size never wraps
};

struct GicRanges {
    static constexpr unsigned limit = 4;
    GicRange range[limit];
    unsigned count = 0;
};

constexpr GicRanges gic_ranges(const GicPlatform& p) {
    GicRanges out;
    auto add = [&out](GicBlock block, uint64_t base, uint64_t size) {
        const uint64_t room = ~uint64_t(0) - base; // bytes after base, minus one
        out.range[out.count++] = {block, base, size - 1 > room ? room + 1 : size};
    };
    const bool v2 = p.type == IrqChipType::gicv2, v3 = p.type == IrqChipType::gicv3;
    if (!v2 && !v3)
        return out;
    if (p.has_gicd)
        add(GicBlock::distributor, p.gicd, v3 ? gicv3_distributor_size : gicv2_distributor_size);
    if (v3 && p.has_gicr) {
        const uint64_t stride = p.gicr_stride != 0 ? p.gicr_stride : gicv3_default_stride;
        const uint64_t frames = p.cpus != 0 ? p.cpus : 1;
        // Saturates instead of wrapping (a verified stride is below 2^64 / 2^32 in practice).
        const uint64_t size = stride > ~uint64_t(0) / frames ? ~uint64_t(0) : stride * frames;
        add(GicBlock::redistributors, p.gicr, size);
    }
    if (v2 && p.has_gicc)
        add(GicBlock::cpu_interface, p.gicc, gicv2_interface_size);
    if (v2 && p.has_gich)
        add(GicBlock::hyp_interface, p.gich, gicv2_interface_size);
    return out;
}

// The GIC of a platform element with `cpus` platform CPUs.
constexpr GicPlatform gic_platform_of(const PlatformElem& p, uint32_t cpus) {
    GicPlatform g;
    const uint32_t flags = p.flags.get();
    if (!(flags & platform_has_irqchip))
        return g;
    g.type = IrqChipType(p.irqchip_type);
    g.has_gicd = (flags & irqchip_has_gicd) != 0;
    g.has_gicc = (flags & irqchip_has_gicc) != 0;
    g.has_gich = (flags & irqchip_has_gich) != 0;
    g.has_gicr = (flags & irqchip_has_gicr) != 0;
    g.gicd = p.gicd.get();
    g.gicc = p.gicc.get();
    g.gich = p.gich.get();
    g.gicr = p.gicr.get();
    g.gicr_stride = (flags & irqchip_has_gicr_stride) != 0 ? p.gicr_stride.get() : 0;
    g.cpus = cpus;
    return g;
}

// The first GIC range [base, base + size) touches, or nullptr. size 0 touches nothing; a range
// that wraps is treated as running to the top of the address space.
constexpr const GicRange* gic_range_hit(const GicRanges& g, uint64_t base, uint64_t size) {
    if (size == 0)
        return nullptr;
    const uint64_t last = size - 1 > ~uint64_t(0) - base ? ~uint64_t(0) : base + (size - 1);
    for (unsigned i = 0; i < g.count; ++i) {
        const GicRange& r = g.range[i];
        if (r.size != 0 && base <= r.base + (r.size - 1) && r.base <= last)
            return &r;
    }
    return nullptr;
}

} // namespace jailconf::jcb
