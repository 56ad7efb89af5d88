// Geometry of the address map: which items go in which column and lane, and the segmented axis
// that maps addresses to y (see AxisParams in render.hpp).
#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include <fmt/format.h>

#include "confgen/render.hpp"
#include "render/ids.hpp"

namespace jailconf::render {

namespace {

uint64_t saturating_end(uint64_t base, uint64_t size) {
    return size > UINT64_MAX - base ? UINT64_MAX : base + size;
}

class ItemCollector {
  public:
    ItemCollector(std::span<const Element> elements, AddressMapLayout& out) : out_(out) {
        for (size_t i = 0; i < elements.size(); ++i)
            index_.emplace(elements[i].id, i);
    }

    int column(std::string title, int owner) {
        out_.columns.push_back(MapColumn{std::move(title), owner, 0, 0, 1});
        return int(out_.columns.size()) - 1;
    }

    void add(const std::string& element_id, std::string label, std::string kind, int column,
             uint64_t base, uint64_t size) {
        auto it = index_.find(element_id);
        if (it == index_.end() || size == 0)
            return;
        size_t copy = copies_[element_id]++;
        out_.items.push_back(MapItem{it->second, ids::bar(element_id, copy), std::move(label),
                                     std::move(kind), column, base, saturating_end(base, size)});
    }

  private:
    AddressMapLayout& out_;
    std::map<std::string, size_t> index_;
    std::map<std::string, size_t> copies_;
};

void collect_items(const System& s, ItemCollector& c) {
    const Platform& p = s.platform;
    bool platform_blocks = p.irqchip.has_value() || p.pci.has_value() || !p.iommus.empty();
    if (platform_blocks) {
        int col = c.column("platform", owner_platform);
        if (p.irqchip) {
            const IrqChip& g = *p.irqchip;
            std::string id = ids::irqchip();
            if (g.type != IrqChipType::apic && g.gicd)
                c.add(id, "GICD", "platform", col, *g.gicd, 0x10000);
            if (g.type == IrqChipType::gicv3 && g.gicr)
                c.add(id, "GICR", "platform", col, *g.gicr,
                      g.gicr_stride.value_or(0x20000) * std::max<uint64_t>(p.cpus.size(), 1));
            if (g.type == IrqChipType::gicv2) {
                if (g.gicc)
                    c.add(id, "GICC", "platform", col, *g.gicc, 0x2000);
                if (g.gich)
                    c.add(id, "GICH", "platform", col, *g.gich, 0x2000);
                if (g.gicv)
                    c.add(id, "GICV", "platform", col, *g.gicv, 0x2000);
            }
            if (g.type == IrqChipType::apic && g.ioapic)
                c.add(id, "IOAPIC", "platform", col, *g.ioapic, 0x1000);
        }
        if (p.pci)
            c.add(ids::pci_host(), "PCI ECAM", "platform", col, p.pci->ecam, p.pci->ecam_size);
        for (size_t i = 0; i < p.iommus.size(); ++i)
            c.add(ids::iommu(i), fmt::format("IOMMU ({})", to_string(p.iommus[i].type)), "platform",
                  col, p.iommus[i].base, p.iommus[i].size);
    }
    int hv = c.column("hypervisor", owner_hypervisor);
    c.add(ids::hypervisor_memory(), "hypervisor memory", "hypervisor", hv,
          s.hypervisor.memory_phys.value, s.hypervisor.memory_size);
    if (s.hypervisor.console && s.hypervisor.console->type != ConsoleType::ns16550_pio)
        c.add(ids::hypervisor_console(), "console", "hypervisor", hv, s.hypervisor.console->base,
              s.hypervisor.console->size);
    for (size_t ci = 0; ci < s.cells.size(); ++ci) {
        const Cell& cell = s.cells[ci];
        int col = c.column(cell.name, int(ci));
        for (size_t k = 0; k < cell.memory.size(); ++k) {
            const MemoryRegion& r = cell.memory[k];
            std::string kind = (r.flags & mem_comm_region) ? "comm"
                               : (r.flags & mem_io)        ? "io"
                                                           : "memory";
            c.add(ids::cell_part(ci, "mem", k), r.name.empty() ? fmt::format("#{}", k) : r.name,
                  kind, col, r.phys.value, r.size);
        }
        for (size_t k = 0; k < cell.pci_devices.size(); ++k) {
            const PciDevice& d = cell.pci_devices[k];
            for (size_t b = 0; b < d.bars.size(); ++b)
                if (d.bars[b].type != BarType::io)
                    c.add(ids::pci_bar(ci, k, b),
                          fmt::format("{} BAR{}", format_bdf(d.bdf), d.bars[b].index), "pci-bar",
                          col, d.bars[b].addr, d.bars[b].size);
        }
    }
    if (!s.links.empty()) {
        int col = c.column("links", owner_links);
        for (size_t li = 0; li < s.links.size(); ++li)
            c.add(ids::link(li), s.links[li].name, "link", col, s.links[li].phys.value,
                  s.links[li].size);
    }
}

// The segmented axis over every item's start and end.
std::vector<AxisStretch> build_axis(const std::vector<MapItem>& items, const AxisParams& p) {
    std::vector<uint64_t> bounds;
    for (const auto& it : items) {
        bounds.push_back(it.base);
        bounds.push_back(it.end);
    }
    std::sort(bounds.begin(), bounds.end());
    bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
    // Coverage count per stretch by a sweep over the sorted starts and ends.
    std::vector<int> delta(bounds.size(), 0);
    auto index_of = [&bounds](uint64_t v) {
        return size_t(std::lower_bound(bounds.begin(), bounds.end(), v) - bounds.begin());
    };
    for (const auto& it : items) {
        ++delta[index_of(it.base)];
        --delta[index_of(it.end)];
    }
    std::vector<AxisStretch> axis;
    double y = 0;
    int covered = 0;
    for (size_t i = 0; i + 1 < bounds.size(); ++i) {
        covered += delta[i];
        uint64_t length = bounds[i + 1] - bounds[i];
        double h = p.gap;
        if (covered > 0) {
            double octaves = std::log2(std::max(double(length) / 4096.0, 1.0));
            h = std::min(p.covered_min + p.covered_per_octave * octaves, p.covered_max);
        }
        axis.push_back(AxisStretch{bounds[i], bounds[i + 1], y, y + h, covered == 0});
        y += h;
    }
    return axis;
}

} // namespace

double AddressMapLayout::y_of(uint64_t address) const {
    if (axis.empty())
        return 0;
    if (address <= axis.front().start)
        return axis.front().y0;
    if (address >= axis.back().end)
        return axis.back().y1;
    // The stretch with start <= address < end.
    auto it = std::upper_bound(axis.begin(), axis.end(), address,
                               [](uint64_t a, const AxisStretch& s) { return a < s.start; });
    const AxisStretch& s = *(it - 1);
    long double fraction =
        static_cast<long double>(address - s.start) / static_cast<long double>(s.end - s.start);
    return s.y0 + double(fraction * static_cast<long double>(s.y1 - s.y0));
}

AddressMapLayout layout_address_map(const System& system, std::span<const Element> elements,
                                    const AxisParams& params) {
    AddressMapLayout out;
    out.params = params;
    ItemCollector collector(elements, out);
    collect_items(system, collector);
    out.axis = build_axis(out.items, params);
    out.height = out.axis.empty() ? 0 : out.axis.back().y1;

    // Lanes: within a column, items that overlap in address go side by side; the first lane
    // that is free at an item's start takes it (longest first among equal starts).
    out.bars.resize(out.items.size());
    std::vector<size_t> order(out.items.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(), [&out](size_t a, size_t b) {
        const MapItem& x = out.items[a];
        const MapItem& y = out.items[b];
        if (x.column != y.column)
            return x.column < y.column;
        if (x.base != y.base)
            return x.base < y.base;
        return x.end > y.end;
    });
    std::vector<std::vector<uint64_t>> lane_ends(out.columns.size());
    for (size_t i : order) {
        const MapItem& it = out.items[i];
        auto& ends = lane_ends[size_t(it.column)];
        size_t lane = 0;
        while (lane < ends.size() && ends[lane] > it.base)
            ++lane;
        if (lane == ends.size())
            ends.push_back(it.end);
        else
            ends[lane] = it.end;
        out.bars[i].item = i;
        out.bars[i].lane = int(lane);
    }
    double x = 0;
    for (size_t c = 0; c < out.columns.size(); ++c) {
        MapColumn& col = out.columns[c];
        col.lanes = std::max<int>(1, int(lane_ends[c].size()));
        col.x = x;
        col.width = col.lanes * params.lane_width;
        x += col.width + params.column_gap;
    }
    out.width = out.columns.empty() ? 0 : x - params.column_gap;
    for (auto& bar : out.bars) {
        const MapItem& it = out.items[bar.item];
        const MapColumn& col = out.columns[size_t(it.column)];
        bar.x = col.x + bar.lane * params.lane_width;
        bar.width = params.lane_width;
        bar.y = out.y_of(it.base);
        bar.height = out.y_of(it.end) - bar.y;
    }
    return out;
}

} // namespace jailconf::render
