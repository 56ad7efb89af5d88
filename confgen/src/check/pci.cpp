// PCI devices: JC-PCI-DUP (a function owned twice), JC-PCI-BAR (BAR slots and sizes) and
// JC-PCI-MSIX (MSI-X table and PBA inside a memory BAR of the device).
#include <array>
#include <bit>
#include <fmt/format.h>

#include "check/check_util.hpp"
#include "check/checks.hpp"

namespace jailconf::checks {
namespace {

constexpr int bar_slots = 6;

std::string device_text(const Cell& cell, const PciDevice& dev) {
    return fmt::format("PCI device {} of cell '{}'", format_bdf(dev.bdf), cell.name);
}

void check_bars(const Cell& cell, const PciDevice& dev, Diagnostics& diags) {
    std::array<int, bar_slots> owner;
    owner.fill(-1);
    for (size_t i = 0; i < dev.bars.size(); ++i) {
        const PciBar& bar = dev.bars[i];
        const std::string what = fmt::format("BAR {} of {}", bar.index, device_text(cell, dev));
        if (bar.index >= bar_slots) {
            diags.report("JC-PCI-BAR", bar.loc, fmt::format("{}: index out of range 0-5", what),
                         "use the BAR's index 0-5 from the device's configuration space");
            continue;
        }
        const bool wide = bar.type == BarType::mem64;
        if (wide && bar.index == bar_slots - 1)
            diags.report("JC-PCI-BAR", bar.loc,
                         fmt::format("{} is mem64, but a 64-bit BAR takes two slots and there is "
                                     "no slot 6",
                                     what),
                         "make it mem32, or give it index 0-4");
        for (int slot = bar.index; slot <= bar.index + (wide ? 1 : 0) && slot < bar_slots; ++slot) {
            if (owner[slot] < 0) {
                owner[slot] = int(i);
                continue;
            }
            const PciBar& prev = dev.bars[size_t(owner[slot])];
            bool upper = prev.type == BarType::mem64 && prev.index + 1 == slot;
            diags.report("JC-PCI-BAR", bar.loc,
                         fmt::format("{} uses slot {}, already taken by BAR {}{}", what, slot,
                                     prev.index, upper ? " (upper half of a 64-bit BAR)" : ""),
                         fmt::format("give each BAR its own slot; a mem64 BAR at index n also "
                                     "occupies n+1 (here BAR {} and BAR {} collide)",
                                     prev.index, bar.index),
                         {{prev.loc, fmt::format("BAR {} is declared here", prev.index)}});
        }
        if (bar.type != BarType::io && !std::has_single_bit(bar.size)) {
            std::string fix = bar.size == 0 || bar.size > (uint64_t(1) << 63)
                                  ? std::string("use the size the device reports, a power of two")
                                  : fmt::format("use size {:#x} (the next power of two)",
                                                std::bit_ceil(bar.size));
            diags.report("JC-PCI-BAR", bar.loc,
                         fmt::format("{}: memory BAR size {:#x} is {}", what, bar.size,
                                     bar.size == 0 ? "zero" : "not a power of two"),
                         fix);
        }
    }
}

// One MSI-X structure (`what` = "table" or "PBA") of `length` bytes at `offset` in BAR `index`.
void check_msix_part(const Cell& cell, const PciDevice& dev, std::string_view what, uint8_t index,
                     uint64_t offset, uint64_t length, Diagnostics& diags) {
    const PciMsix& msix = *dev.msix;
    const std::string device = device_text(cell, dev);
    const PciBar* bar = nullptr;
    for (const PciBar& b : dev.bars)
        if (b.index == index) {
            bar = &b;
            break;
        }
    if (!bar) {
        diags.report("JC-PCI-MSIX", msix.loc,
                     fmt::format("MSI-X {} of {} is in BAR {}, which the device does not declare",
                                 what, device, index),
                     fmt::format("add BAR {} to `bars`, or set the MSI-X {} BAR to the one that "
                                 "holds it",
                                 index, what));
        return;
    }
    if (bar->type == BarType::io) {
        diags.report("JC-PCI-MSIX", msix.loc,
                     fmt::format("MSI-X {} of {} is in BAR {}, an I/O BAR", what, device, index),
                     "MSI-X structures live in a memory BAR: point at the memory BAR that holds it",
                     {{bar->loc, fmt::format("BAR {} is declared here", index)}});
        return;
    }
    if (length <= bar->size && offset <= bar->size - length)
        return;
    std::string fix =
        length > bar->size
            ? fmt::format("BAR {} ({:#x} bytes) cannot hold {} bytes: check "
                          "msix.vectors and the BAR size",
                          index, bar->size, length)
            : fmt::format("set the {} offset to at most {:#x}", what, bar->size - length);
    diags.report("JC-PCI-MSIX", msix.loc,
                 fmt::format("MSI-X {} of {} at offset {:#x} ({:#x} bytes for {} vectors) ends "
                             "past BAR {} of size {:#x}",
                             what, device, offset, length, msix.vectors, index, bar->size),
                 fix, {{bar->loc, fmt::format("BAR {} is declared here", index)}});
}

void check_msix(const Cell& cell, const PciDevice& dev, Diagnostics& diags) {
    if (!dev.msix)
        return;
    const PciMsix& m = *dev.msix;
    check_msix_part(cell, dev, "table", m.table_bar, m.table_offset, uint64_t(m.vectors) * 16,
                    diags);
    check_msix_part(cell, dev, "PBA", m.pba_bar, m.pba_offset, (uint64_t(m.vectors) + 63) / 64 * 8,
                    diags);
}

void check_duplicates(const System& system, Diagnostics& diags) {
    struct Ref {
        uint32_t cell;
        const PciDevice* dev;
    };
    std::vector<Ref> refs;
    for (uint32_t c = 0; c < system.cells.size(); ++c)
        for (const PciDevice& dev : system.cells[c].pci_devices)
            refs.push_back({c, &dev});
    for_each_duplicate(
        refs.size(), [&](uint32_t i) { return refs[i].dev->bdf.packed(); },
        [&](uint32_t first, uint32_t dup) {
            const Cell& first_cell = system.cells[refs[first].cell];
            const Cell& dup_cell = system.cells[refs[dup].cell];
            const std::string bdf = format_bdf(refs[dup].dev->bdf);
            bool same = refs[first].cell == refs[dup].cell;
            diags.report(
                "JC-PCI-DUP", refs[dup].dev->loc,
                same ? fmt::format("PCI device {} is listed twice in cell '{}'", bdf, dup_cell.name)
                     : fmt::format("PCI device {} of cell '{}' is also assigned to cell '{}'", bdf,
                                   dup_cell.name, first_cell.name),
                same ? fmt::format("remove the second entry for {}", bdf)
                     : fmt::format("remove {} from cell '{}' or from cell '{}'", bdf, dup_cell.name,
                                   first_cell.name),
                {{refs[first].dev->loc,
                  fmt::format("first assigned to cell '{}' here", first_cell.name)}});
        });
}

} // namespace

void check_pci(const System& system, Diagnostics& diags) {
    for (const Cell& cell : system.cells) {
        for (const PciDevice& dev : cell.pci_devices) {
            check_bars(cell, dev, diags);
            check_msix(cell, dev, diags);
        }
    }
    check_duplicates(system, diags);
}

} // namespace jailconf::checks
