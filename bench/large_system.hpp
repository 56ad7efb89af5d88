// A large synthetic system shared by the benchmarks: 1,000 cells with 100 memory regions each
// (100,000 regions), one CPU, one interrupt, one PCI device, one stream id and a console per
// cell, and 250 links. `overlapping` makes every region overlap its neighbours both physically
// and in the guest.
#pragma once

#include <fmt/format.h>

#include "confgen/model.hpp"

namespace jailconf::bench {

constexpr uint32_t cells = 1000;
constexpr uint32_t regions_per_cell = 100;
constexpr uint32_t links = 250;
constexpr uint64_t stride = 0x10000;

inline SourceLocation loc(uint32_t line) {
    return {"bench.yaml", line, 1};
}

inline System make_system(bool overlapping) {
    System s;
    s.arch = Arch::arm64;
    s.platform.name = "bench";
    IrqChip gic;
    gic.type = IrqChipType::gicv3;
    gic.gicd = 0x08000000;
    gic.gicr = 0x080a0000;
    gic.gicr_stride = 0x20000;
    s.platform.irqchip = gic;
    s.hypervisor.memory_phys = PhysAddr{0x7c000000};
    s.hypervisor.memory_size = 64 << 20;
    uint32_t line = 1;
    for (uint32_t c = 0; c < cells; ++c)
        s.platform.cpus.push_back({c, (uint64_t(c / 16) << 8) | (c % 16), loc(line++)});

    // Overlapping: each region is twice the stride, so it covers its successor's first half. Guest
    // addresses run in the opposite order, so the guest overlaps are findings of their own (not
    // the same mapping seen twice).
    const uint64_t size = overlapping ? 2 * stride : stride;
    for (uint32_t c = 0; c < cells; ++c) {
        Cell cell;
        cell.name = fmt::format("cell{}", c);
        cell.root = c == 0;
        cell.loc = loc(line++);
        cell.cpus.push_back({c, c, loc(line++)});
        for (uint32_t j = 0; j < regions_per_cell; ++j) {
            uint64_t phys = 0x100000000 + (uint64_t(c) * regions_per_cell + j) * stride;
            cell.memory.push_back({fmt::format("r{}", j), PhysAddr{phys},
                                   GuestAddr{0x40000000 + (regions_per_cell - 1 - j) * stride},
                                   size, mem_read | mem_write | (j == 0 ? uint32_t(mem_io) : 0u),
                                   loc(line++)});
        }
        if (32 + c <= 1019)
            cell.irqs.push_back({32 + c, 32 + c, loc(line++)});
        PciDevice dev;
        dev.bdf = Bdf::from_packed(c);
        dev.bars.push_back(
            {0, BarType::mem64, 0x10000000 + c * 0x10000ull, 0x4000, true, loc(line++)});
        dev.msix = PciMsix{16, 0, 0x2000, 0, 0x3000, loc(line++)};
        dev.loc = loc(line++);
        cell.pci_devices.push_back(std::move(dev));
        cell.stream_ids.push_back({0x100 + c, loc(line++)});
        cell.console = Console{ConsoleType::pl011, 0x40000000, 0x1000, loc(line++)};
        s.cells.push_back(std::move(cell));
    }
    for (uint32_t l = 0; l < links; ++l) {
        Link link;
        link.name = fmt::format("link{}", l);
        link.peers = {{fmt::format("cell{}", 2 * l), loc(line++)},
                      {fmt::format("cell{}", 2 * l + 1), loc(line++)}};
        link.phys = PhysAddr{0x80000000 + l * stride};
        link.virt = GuestAddr{0x30000000};
        link.size = stride;
        link.doorbell_irq = 1019;
        link.loc = loc(line++);
        s.links.push_back(std::move(link));
    }
    return s;
}

} // namespace jailconf::bench
