// Facts from the system configuration alone: cells, CPUs, regions, interrupts, PCI functions,
// redistributors, platform blocks, stream ids, links.
#include <algorithm>
#include <fmt/format.h>

#include "kb/facts_builder.hpp"

namespace jailconf::kb {
namespace {

constexpr uint64_t page = 4096;
uint64_t page_down(uint64_t a) {
    return a & ~(page - 1);
}
uint64_t page_up(uint64_t a) {
    return a > UINT64_MAX - (page - 1) ? page_down(UINT64_MAX) : page_down(a + page - 1);
}
uint64_t end_of(uint64_t base, uint64_t size) {
    return size > UINT64_MAX - base ? UINT64_MAX : base + size;
}

StrList flag_names(uint32_t flags) {
    StrList out;
    for (auto n : mem_flag_names(flags))
        out.emplace_back(n);
    return out;
}

int64_t cpu_count(const Cell& c) {
    int64_t n = 0;
    for (const auto& r : c.cpus)
        if (r.last >= r.first)
            n += int64_t(r.last - r.first) + 1;
    return n;
}

} // namespace

FactsBuilder::FactsBuilder(const System& system, const inventory::Inventory* inventory,
                           const QuirkData& quirks)
    : system_(system), inv_(inventory), quirks_(quirks) {
    for (const auto& info : fact_tables())
        facts_.tables.push_back(Table{&info, {}});
    for (uint32_t c = 0; c < system.cells.size(); ++c)
        for (const auto& r : system.cells[c].memory) {
            region_index_.add(int64_t(std::min<uint64_t>(r.phys.value, INT64_MAX)),
                              int64_t(std::min<uint64_t>(end_of(r.phys.value, r.size), INT64_MAX)),
                              uint32_t(regions_.size()));
            regions_.push_back({c, &r});
        }
    region_index_.build();
}

Table& FactsBuilder::table(std::string_view name) {
    for (auto& t : facts_.tables)
        if (t.info->name == name)
            return t;
    std::abort(); // a misspelt table name in the builder: a defect
}

const Cell* FactsBuilder::owner_of(uint64_t base, uint64_t end) const {
    const Cell* found = nullptr;
    region_index_.overlapping(int64_t(std::min<uint64_t>(base, INT64_MAX)),
                              int64_t(std::min<uint64_t>(end, INT64_MAX)), [&](uint32_t id) {
                                  const RegionRef& ref = regions_[id];
                                  uint64_t r_end = end_of(ref.region->phys.value, ref.region->size);
                                  if (ref.region->phys.value > base || r_end < end)
                                      return true;
                                  const Cell& c = system_.cells[ref.cell];
                                  if (!found || (found->root && !c.root) ||
                                      (found->root == c.root && &c < found))
                                      found = &c;
                                  return true;
                              });
    return found;
}

const MemoryRegion* FactsBuilder::region_covering(const Cell& cell, uint64_t base,
                                                  uint64_t end) const {
    for (const auto& r : cell.memory)
        if (r.phys.value <= base && end_of(r.phys.value, r.size) >= end)
            return &r;
    return nullptr;
}

std::vector<std::string> FactsBuilder::cells_touching(uint64_t base, uint64_t end) const {
    std::set<std::string> names;
    region_index_.overlapping(int64_t(std::min<uint64_t>(base, INT64_MAX)),
                              int64_t(std::min<uint64_t>(end, INT64_MAX)), [&](uint32_t id) {
                                  names.insert(system_.cells[regions_[id].cell].name);
                                  return true;
                              });
    return {names.begin(), names.end()};
}

bool FactsBuilder::cell_has_irq(const Cell& cell, uint32_t intid) const {
    return std::any_of(cell.irqs.begin(), cell.irqs.end(),
                       [intid](const IdRange& r) { return r.contains(intid); });
}

std::vector<std::string> FactsBuilder::cells_with_irq(uint32_t intid) const {
    std::vector<std::string> out;
    for (const auto& c : system_.cells)
        if (cell_has_irq(c, intid))
            out.push_back(c.name);
    return out;
}

SourceLocation FactsBuilder::irq_loc(const Cell& cell, uint32_t intid) const {
    for (const auto& r : cell.irqs)
        if (r.contains(intid))
            return r.loc;
    return cell.irqs.empty() ? cell.loc : cell.irqs.front().loc;
}

void FactsBuilder::add_machine() {
    Table& t = table("machine");
    Record& r = t.add(system_.loc);
    t.set(r, "arch", to_string(system_.arch));
    StrList board_quirks;
    if (inv_) {
        t.set(r, "model", inv_->machine.model);
        t.set(r, "compatible", StrList(inv_->machine.compatible));
        if (!inv_->machine.hypervisor.empty())
            t.set(r, "hypervisor", inv_->machine.hypervisor);
        for (const auto& b : quirks_.boards) {
            bool hit = (!b.compatible.empty() &&
                        std::find(inv_->machine.compatible.begin(), inv_->machine.compatible.end(),
                                  b.compatible) != inv_->machine.compatible.end()) ||
                       (!b.model.empty() && inv_->machine.model.find(b.model) != std::string::npos);
            if (hit)
                board_quirks.insert(board_quirks.end(), b.quirks.begin(), b.quirks.end());
        }
        bool remap = (inv_->gic && !inv_->gic->its.empty()) ||
                     std::any_of(inv_->iommus.begin(), inv_->iommus.end(), [](const auto& i) {
                         return i.type == "vtd" || i.type == "amd-vi";
                     });
        t.set(r, "irq_remapping", remap);
    }
    t.set(r, "quirks", std::move(board_quirks));
}

void FactsBuilder::add_hv() {
    Table& t = table("hv");
    const Hypervisor& hv = system_.hypervisor;
    Record& r = t.add(hv.loc.known() ? hv.loc : system_.loc);
    t.set(r, "memory_phys", hv.memory_phys.value);
    t.set(r, "memory_end", end_of(hv.memory_phys.value, hv.memory_size));
    if (hv.console) {
        uint64_t size = hv.console->size ? hv.console->size : 4096;
        t.set(r, "console_base", hv.console->base);
        t.set(r, "console_end", page_up(end_of(hv.console->base, size)));
    }
    t.set(r, "tick_ms", hypervisor_tick_ms);
}

void FactsBuilder::add_cells_cpus() {
    Table& cells = table("cell");
    Table& cpus = table("cpu");
    for (const auto& c : system_.cells) {
        Record& r = cells.add(c.loc, c.name);
        cells.set(r, "name", c.name);
        cells.set(r, "root", c.root);
        cells.set(r, "cpu_count", cpu_count(c));
        if (c.watchdog)
            cells.set(r, "watchdog_ms", c.watchdog->timeout_ms);
        if (c.console)
            cells.set(r, "console_base", c.console->base);
        int64_t exec = 0, loadable = 0, links = 0;
        for (const auto& m : c.memory) {
            exec += (m.flags & mem_execute) && !(m.flags & mem_io);
            loadable += (m.flags & mem_loadable) != 0;
        }
        for (const auto& l : system_.links)
            links += std::any_of(l.peers.begin(), l.peers.end(),
                                 [&](const LinkPeer& p) { return p.cell == c.name; });
        cells.set(r, "executable_ram", exec);
        cells.set(r, "loadable", loadable);
        cells.set(r, "links", links);

        for (const auto& range : c.cpus)
            for (uint64_t id = range.first; id <= range.last && id - range.first < 4096; ++id) {
                Record& cpu = cpus.add(range.loc, c.name);
                cpus.set(cpu, "id", uint64_t(id));
                cpus.set(cpu, "cell", c.name);
                cpus.set(cpu, "cell_root", c.root);
                for (const auto& pc : system_.platform.cpus)
                    if (pc.id == id) {
                        cpus.set(cpu, "hw_id", pc.hw_id);
                        if (system_.arch != Arch::x86_64)
                            cpus.set(cpu, "cluster", (pc.hw_id >> 8) & 0xff);
                    }
                if (inv_)
                    for (const auto& ic : inv_->cpus)
                        if (ic.id == id) {
                            if (ic.numa_node)
                                cpus.set(cpu, "numa_node", *ic.numa_node);
                            if (!ic.enable_method.empty())
                                cpus.set(cpu, "enable_method", ic.enable_method);
                        }
            }
    }
}

void FactsBuilder::add_regions_irqs() {
    Table& regions = table("region");
    Table& irqs = table("irq");
    for (const auto& c : system_.cells) {
        for (const auto& m : c.memory) {
            Record& r = regions.add(m.loc, c.name);
            regions.set(r, "cell", c.name);
            regions.set(r, "cell_root", c.root);
            regions.set(r, "name", m.name);
            regions.set(r, "phys", m.phys.value);
            regions.set(r, "end", end_of(m.phys.value, m.size));
            regions.set(r, "virt", m.virt.value);
            regions.set(r, "size", m.size);
            regions.set(r, "flags", flag_names(m.flags));
            regions.set(r, "ram",
                        (m.flags & mem_read) && (m.flags & mem_write) && !(m.flags & mem_io));
            regions.set(r, "io", (m.flags & mem_io) != 0);
            regions.set(r, "dma", (m.flags & mem_dma) != 0);
            regions.set(r, "execute", (m.flags & mem_execute) != 0);
            regions.set(r, "shared", (m.flags & (mem_shared | mem_rootshared)) != 0);
            if (inv_)
                for (const auto& ram : inv_->memory)
                    if (ram.numa_node && ram.region.base <= m.phys.value &&
                        end_of(ram.region.base, ram.region.size) > m.phys.value)
                        regions.set(r, "numa_node", *ram.numa_node);
        }
        for (const auto& range : c.irqs)
            for (uint64_t id = range.first; id <= range.last && id - range.first < 65536; ++id) {
                Record& r = irqs.add(range.loc, c.name);
                irqs.set(r, "cell", c.name);
                irqs.set(r, "cell_root", c.root);
                irqs.set(r, "intid", id);
                StrList sources, source_cells, doorbells;
                if (auto it = irq_sources_.find(uint32_t(id)); it != irq_sources_.end())
                    for (const auto& dev : it->second) {
                        sources.push_back(dev);
                        std::string owner = owner_of_device(dev);
                        if (!owner.empty() && std::find(source_cells.begin(), source_cells.end(),
                                                        owner) == source_cells.end())
                            source_cells.push_back(owner);
                    }
                for (const auto& l : system_.links)
                    if (l.doorbell_irq == id)
                        doorbells.push_back(l.name);
                irqs.set(r, "devices", std::move(sources));
                irqs.set(r, "device_cells", std::move(source_cells));
                irqs.set(r, "doorbell_of", std::move(doorbells));
            }
    }
}

void FactsBuilder::add_pci() {
    Table& pci = table("pci");
    Table& bars = table("bar");
    for (const auto& c : system_.cells)
        for (const auto& d : c.pci_devices) {
            Record& r = pci.add(d.loc, c.name);
            std::string bdf = fmt::format("{:04x}:{:02x}:{:02x}.{:x}", d.bdf.segment, d.bdf.bus,
                                          d.bdf.device, d.bdf.function);
            pci.set(r, "cell", c.name);
            pci.set(r, "cell_root", c.root);
            pci.set(r, "bdf", bdf);
            pci.set(r, "bridge", d.type == PciDeviceType::bridge);
            pci.set(r, "msi", d.msi.has_value());
            pci.set(r, "msix", d.msix.has_value());
            std::optional<std::pair<uint64_t, uint64_t>> table_pages;
            if (d.msix)
                for (const auto& b : d.bars)
                    if (b.index == d.msix->table_bar && b.type != BarType::io) {
                        uint64_t start = end_of(b.addr, d.msix->table_offset);
                        uint64_t end = end_of(start, uint64_t(d.msix->vectors) * 16);
                        table_pages = {page_down(start), page_up(end)};
                    }
            if (table_pages) {
                pci.set(r, "msix_page", table_pages->first);
                pci.set(r, "msix_page_end", table_pages->second);
            }
            for (const auto& b : d.bars) {
                Record& br = bars.add(b.loc, c.name);
                uint64_t end = end_of(b.addr, b.size);
                bars.set(br, "cell", c.name);
                bars.set(br, "bdf", bdf);
                bars.set(br, "index", uint32_t(b.index));
                bars.set(br, "addr", b.addr);
                bars.set(br, "end", end);
                bars.set(br, "size", b.size);
                bars.set(br, "io", b.type == BarType::io);
                bars.set(br, "page", page_down(b.addr));
                bars.set(br, "page_end", page_up(end));
                bars.set(br, "msix_table", d.msix && d.msix->table_bar == b.index);
            }
            if (!inv_)
                continue;
            const inventory::PciFunction* f = inventory_function(d.bdf);
            if (!f)
                continue;
            std::string id = fmt::format("{:04x}:{:04x}", f->vendor_id, f->device_id);
            StrList quirks = pci_quirks(id);
            pci.set(r, "pci_id", id);
            pci.set(r, "class", f->class_code);
            pci.set(r, "name", f->device_name);
            pci.set(r, "intx_pin", uint32_t(f->intx_pin));
            if (auto irq = intx_irq(*f))
                pci.set(r, "intx_irq", *irq);
            if (f->iommu_group)
                pci.set(r, "iommu_group", *f->iommu_group);
            pci.set(r, "isolation_group", isolation_group(*f));
            pci.set(r, "acs", path_has_acs(*f));
            bool host_bridge = (f->class_code >> 8) == 0x0600;
            bool no_dma = std::find(quirks.begin(), quirks.end(), "no-dma") != quirks.end();
            pci.set(r, "dma_capable", !f->is_bridge() && !host_bridge && !no_dma);
            pci.set(r, "iommu_covered", iommu_covered(*f));
            pci.set(r, "ats", below_ats_root(*f));
            pci.set(r, "quirks", std::move(quirks));
        }
}

void FactsBuilder::add_gicr_blocks() {
    Table& gicr = table("gicr");
    Table& blocks = table("platform_block");
    const Platform& p = system_.platform;
    auto block = [&](std::string_view kind, uint64_t base, uint64_t size, const SourceLocation& l) {
        Record& r = blocks.add(l.known() ? l : p.loc);
        blocks.set(r, "kind", kind);
        blocks.set(r, "base", base);
        blocks.set(r, "end", end_of(base, size));
    };
    if (p.irqchip && p.irqchip->gicd && p.irqchip->type != IrqChipType::apic)
        block("gic-distributor", *p.irqchip->gicd, 0x10000, p.irqchip->loc);
    if (p.irqchip && p.irqchip->type == IrqChipType::gicv2 && p.irqchip->gicc)
        block("gic-cpu-interface", *p.irqchip->gicc, 0x2000, p.irqchip->loc);
    if (p.irqchip && p.irqchip->type == IrqChipType::gicv2 && p.irqchip->gich)
        block("gic-hyp-interface", *p.irqchip->gich, 0x2000, p.irqchip->loc);
    if (p.irqchip && p.irqchip->type == IrqChipType::gicv3 && p.irqchip->gicr)
        block("gic-redistributor", *p.irqchip->gicr,
              p.irqchip->gicr_stride.value_or(0x20000) * std::max<size_t>(p.cpus.size(), 1),
              p.irqchip->loc);
    if (p.irqchip && p.irqchip->type == IrqChipType::gicv3 && p.irqchip->gicr) {
        uint64_t stride = p.irqchip->gicr_stride.value_or(0x20000);
        for (size_t i = 0; i < p.cpus.size(); ++i) {
            uint64_t base = end_of(*p.irqchip->gicr, stride * i);
            const Cell* owner = nullptr;
            for (const auto& c : system_.cells)
                for (const auto& range : c.cpus)
                    if (range.contains(p.cpus[i].id))
                        owner = &c;
            Record& r = gicr.add(p.irqchip->loc, owner ? owner->name : "");
            gicr.set(r, "cpu", p.cpus[i].id);
            gicr.set(r, "cell", owner ? owner->name : "");
            gicr.set(r, "base", base);
            gicr.set(r, "end", end_of(base, stride));
        }
    }
    for (const auto& i : p.iommus)
        block("iommu", i.base, i.size, i.loc);
    if (p.pci)
        block("pci-ecam", p.pci->ecam, p.pci->ecam_size, p.pci->loc);
    if (inv_ && inv_->gic)
        for (const auto& its : inv_->gic->its)
            block("gic-its", its.region.base, its.region.size, p.loc);
}

void FactsBuilder::add_stream_ids_links() {
    Table& sids = table("stream_id");
    std::map<uint32_t, std::vector<std::string>> sid_sources;
    if (inv_)
        for (const auto& d : inv_->devices)
            for (uint32_t s : d.stream_ids)
                sid_sources[s].push_back(d.path);
    for (const auto& c : system_.cells)
        for (const auto& s : c.stream_ids) {
            Record& r = sids.add(s.loc, c.name);
            sids.set(r, "cell", c.name);
            sids.set(r, "id", s.id);
            StrList devices, cells;
            for (const auto& dev : sid_sources[s.id]) {
                devices.push_back(dev);
                std::string owner = owner_of_device(dev);
                if (!owner.empty())
                    cells.push_back(owner);
            }
            sids.set(r, "devices", std::move(devices));
            sids.set(r, "device_cells", std::move(cells));
        }
    Table& links = table("link");
    for (const auto& l : system_.links) {
        Record& r = links.add(l.loc);
        StrList peers;
        for (const auto& p : l.peers)
            peers.push_back(p.cell);
        links.set(r, "name", l.name);
        links.set(r, "peers", std::move(peers));
        links.set(r, "phys", l.phys.value);
        links.set(r, "end", end_of(l.phys.value, l.size));
        links.set(r, "size", l.size);
        if (l.doorbell_irq) {
            links.set(r, "doorbell_irq", *l.doorbell_irq);
            StrList devices;
            if (auto it = irq_sources_.find(*l.doorbell_irq); it != irq_sources_.end())
                devices = it->second;
            links.set(r, "doorbell_devices", std::move(devices));
            links.set(r, "doorbell_cells", cells_with_irq(*l.doorbell_irq));
        }
    }
}

void FactsBuilder::add_config_facts() {
    add_machine();
    add_hv();
    add_cells_cpus();
    add_regions_irqs();
    add_pci();
    add_gicr_blocks();
    add_stream_ids_links();
}

std::vector<std::string>
FactsBuilder::device_quirks(const std::vector<std::string>& compatible) const {
    std::vector<std::string> out;
    for (const auto& q : quirks_.devices)
        if (!q.compatible.empty() &&
            std::find(compatible.begin(), compatible.end(), q.compatible) != compatible.end())
            out.insert(out.end(), q.quirks.begin(), q.quirks.end());
    return out;
}

std::vector<std::string> FactsBuilder::pci_quirks(const std::string& pci_id) const {
    std::vector<std::string> out;
    for (const auto& q : quirks_.devices)
        if (!q.pci_id.empty() &&
            (q.pci_id == pci_id || (q.pci_id.ends_with(":*") &&
                                    pci_id.starts_with(q.pci_id.substr(0, q.pci_id.size() - 1)))))
            out.insert(out.end(), q.quirks.begin(), q.quirks.end());
    return out;
}

Facts build_facts(const System& system, const inventory::Inventory* inventory,
                  const QuirkData& quirks, std::span<const GuestTree> guest_trees) {
    FactsBuilder b(system, inventory, quirks);
    b.index_ownership();
    if (inventory)
        b.add_inventory_facts();
    b.add_config_facts();
    b.add_guest_facts(guest_trees);
    return b.take();
}

} // namespace jailconf::kb
