// JC-ARCH-FIELD: fields that do not exist on the system's architecture or interrupt controller.
// A whole list that does not apply (a cell's `pio` on Arm, `stream_ids` on x86) is reported once
// per cell, at its first entry: the fix is to drop the key.
#include <fmt/format.h>

#include "check/check_util.hpp"
#include "check/checks.hpp"

namespace jailconf::checks {
namespace {

void check_irqchip(Arch arch, const IrqChip& chip, Diagnostics& diags) {
    const bool gic = chip.type != IrqChipType::apic;
    if (gic != is_arm(arch))
        diags.report("JC-ARCH-FIELD", chip.loc,
                     fmt::format("irqchip type {} does not exist on {}", to_string(chip.type),
                                 to_string(arch)),
                     is_arm(arch) ? "use irqchip type gicv2 or gicv3"
                                  : "use irqchip type apic (with `ioapic`)");

    struct Field {
        std::string_view name;
        const std::optional<uint64_t>& value;
        bool allowed;
    };
    const bool v2 = chip.type == IrqChipType::gicv2, v3 = chip.type == IrqChipType::gicv3;
    const Field fields[] = {
        {"gicd", chip.gicd, gic},      {"gicc", chip.gicc, v2},
        {"gich", chip.gich, v2},       {"gicv", chip.gicv, v2},
        {"gicr", chip.gicr, v3},       {"gicr_stride", chip.gicr_stride, v3},
        {"ioapic", chip.ioapic, !gic},
    };
    for (const Field& f : fields) {
        if (!f.value || f.allowed)
            continue;
        diags.report(
            "JC-ARCH-FIELD", chip.loc,
            fmt::format("irqchip {} has no `{}` (set to {:#x})", to_string(chip.type), f.name,
                        *f.value),
            fmt::format("remove `{}` from the irqchip, or correct the irqchip type", f.name));
    }
}

void check_iommu(Arch arch, const Iommu& iommu, Diagnostics& diags) {
    const bool smmu = iommu.type == IommuType::smmuv2 || iommu.type == IommuType::smmuv3;
    if (smmu == is_arm(arch))
        return;
    diags.report(
        "JC-ARCH-FIELD", iommu.loc,
        fmt::format("IOMMU type {} does not exist on {}", to_string(iommu.type), to_string(arch)),
        is_arm(arch) ? "use IOMMU type smmuv2 or smmuv3" : "use IOMMU type vtd or amd_vi");
}

void check_console(Arch arch, const Console& con, std::string_view owner, Diagnostics& diags) {
    if (console_applies(arch, con.type))
        return;
    diags.report("JC-ARCH-FIELD", con.loc,
                 fmt::format("{} console type {} does not exist on {}", owner, to_string(con.type),
                             to_string(arch)),
                 is_arm(arch) ? "use console type pl011 or ns16550 (memory-mapped)"
                              : "use console type ns16550 or ns16550_pio");
}

} // namespace

void check_arch_fields(const System& system, Diagnostics& diags) {
    const Arch arch = system.arch;
    if (system.platform.irqchip)
        check_irqchip(arch, *system.platform.irqchip, diags);
    for (const Iommu& iommu : system.platform.iommus)
        check_iommu(arch, iommu, diags);
    if (system.hypervisor.console)
        check_console(arch, *system.hypervisor.console, "the hypervisor's", diags);

    for (const Cell& cell : system.cells) {
        if (cell.console)
            check_console(arch, *cell.console, fmt::format("cell '{}':", cell.name), diags);
        if (is_arm(arch) && !cell.pio.empty())
            diags.report("JC-ARCH-FIELD", cell.pio.front().loc,
                         fmt::format("cell '{}' has {} port I/O range{}, but {} has no port I/O",
                                     cell.name, cell.pio.size(), cell.pio.size() == 1 ? "" : "s",
                                     to_string(arch)),
                         fmt::format("remove `pio` from cell '{}'; map device registers as "
                                     "memory regions with flag io",
                                     cell.name));
        if (arch == Arch::x86_64 && !cell.stream_ids.empty())
            diags.report("JC-ARCH-FIELD", cell.stream_ids.front().loc,
                         fmt::format("cell '{}' has {} stream id{}, but x86_64 IOMMUs identify "
                                     "DMA masters by PCI BDF",
                                     cell.name, cell.stream_ids.size(),
                                     cell.stream_ids.size() == 1 ? "" : "s"),
                         fmt::format("remove `stream_ids` from cell '{}'; its PCI devices are "
                                     "isolated by BDF",
                                     cell.name));
    }
}

} // namespace jailconf::checks
