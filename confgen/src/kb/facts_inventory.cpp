// Facts that need the scanned inventory: which cell owns each device, what a PCI function can
// reach without the IOMMU, which IOMMU covers it, and the reserved ranges devices depend on.
#include <algorithm>
#include <fmt/format.h>

#include "kb/facts_builder.hpp"

namespace jailconf::kb {
namespace {

constexpr uint64_t page = 4096;
uint64_t end_of(uint64_t base, uint64_t size) {
    return size > UINT64_MAX - base ? UINT64_MAX : base + size;
}
uint64_t page_down(uint64_t a) {
    return a & ~(page - 1);
}
uint64_t page_up(uint64_t a) {
    return a > UINT64_MAX - (page - 1) ? page_down(UINT64_MAX) : page_down(a + page - 1);
}
uint16_t requester_id(const inventory::PciFunction& f) {
    return uint16_t(f.bus << 8 | f.device << 3 | f.function);
}
// ACS Source Validation, Request and Completion Redirect, Upstream Forwarding: what keeps
// peer-to-peer traffic from bypassing the IOMMU.
constexpr uint16_t acs_isolation_bits = 0x1 | 0x4 | 0x8 | 0x10;

} // namespace

void FactsBuilder::index_ownership() {
    for (const auto& c : system_.cells)
        for (const auto& d : c.pci_devices) {
            std::string bdf = fmt::format("{:04x}:{:02x}:{:02x}.{:x}", d.bdf.segment, d.bdf.bus,
                                          d.bdf.device, d.bdf.function);
            device_cell_[bdf] = c.name;
            device_loc_[bdf] = d.loc;
        }
    if (!inv_)
        return;
    for (const auto& f : inv_->pci)
        by_bdf_[f.bdf()] = &f;
    for (const auto& d : inv_->devices) {
        if (d.regs.empty())
            continue;
        const inventory::Region& reg = d.regs.front();
        if (const Cell* c = owner_of(reg.base, end_of(reg.base, reg.size))) {
            device_cell_[d.path] = c->name;
            const MemoryRegion* m = region_covering(*c, reg.base, end_of(reg.base, reg.size));
            device_loc_[d.path] = m ? m->loc : c->loc;
        }
    }
    for (const auto& d : inv_->devices)
        if (d.status == "okay")
            for (const auto& i : d.irqs)
                irq_sources_[i.id].push_back(d.path);
    for (const auto& f : inv_->pci)
        if (auto irq = intx_irq(f))
            irq_sources_[*irq].push_back(f.bdf());
}

std::string FactsBuilder::owner_of_device(const std::string& name) const {
    auto it = device_cell_.find(name);
    return it == device_cell_.end() ? std::string() : it->second;
}

const inventory::PciFunction* FactsBuilder::inventory_function(const Bdf& bdf) const {
    auto it = by_bdf_.find(
        fmt::format("{:04x}:{:02x}:{:02x}.{:x}", bdf.segment, bdf.bus, bdf.device, bdf.function));
    return it == by_bdf_.end() ? nullptr : it->second;
}

const inventory::PciFunction* FactsBuilder::parent_of(const inventory::PciFunction& f) const {
    if (f.parent.empty())
        return nullptr;
    auto it = by_bdf_.find(f.parent);
    return it == by_bdf_.end() ? nullptr : it->second;
}

// x86: the kernel's irq is the GSI for IOAPIC-routed INTx. Arm: swizzle the pin up to the root
// bus (PCI-to-PCI bridge spec: pin' = (pin - 1 + device) % 4 + 1 per bridge) and look the slot up
// in the host bridge's interrupt-map routes.
std::optional<uint32_t> FactsBuilder::intx_irq(const inventory::PciFunction& f) const {
    if (!f.intx_pin || f.intx_pin > 4)
        return std::nullopt;
    if (system_.arch == Arch::x86_64)
        return f.irq && *f.irq ? f.irq : std::nullopt;
    const inventory::PciFunction* at = &f;
    uint32_t pin = f.intx_pin;
    for (int hops = 0; hops < 256; ++hops) {
        const inventory::PciFunction* up = parent_of(*at);
        if (!up)
            break;
        pin = (pin - 1 + at->device) % 4 + 1;
        at = up;
    }
    for (const auto& h : inv_->pci_hosts)
        if (h.segment == at->segment)
            for (const auto& r : h.intx_routes)
                if (r.bus == at->bus && r.device == at->device && r.pin == pin)
                    return r.irq.id;
    return std::nullopt;
}

bool FactsBuilder::path_has_acs(const inventory::PciFunction& f) const {
    auto has = [this](const inventory::PciFunction& g) {
        if (!g.acs ||
            (g.acs->control & acs_isolation_bits & g.acs->capabilities) !=
                (acs_isolation_bits & g.acs->capabilities) ||
            !(g.acs->capabilities & 0x1))
            return false;
        auto q = pci_quirks(fmt::format("{:04x}:{:04x}", g.vendor_id, g.device_id));
        return std::find(q.begin(), q.end(), "broken-acs") == q.end();
    };
    const inventory::PciFunction* at = parent_of(f);
    for (int hops = 0; at && hops < 256; ++hops, at = parent_of(*at))
        if (!has(*at))
            return false;
    // On the root bus nothing above isolates it: only its own ACS does.
    return parent_of(f) ? true : has(f);
}

// Linux's IOMMU group when known. Otherwise the topmost bridge on the path whose downstream
// traffic is not isolated by ACS: everything below it can reach everything else below it.
std::string FactsBuilder::isolation_group(const inventory::PciFunction& f) const {
    if (f.iommu_group)
        return fmt::format("iommu-group {}", *f.iommu_group);
    std::string anchor = fmt::format("{:04x}:{:02x}:{:02x}", f.segment, f.bus, f.device);
    const inventory::PciFunction* at = parent_of(f);
    for (int hops = 0; at && hops < 256; ++hops, at = parent_of(*at))
        if (!at->acs)
            anchor = "below " + at->bdf();
    return anchor;
}

bool FactsBuilder::iommu_covered(const inventory::PciFunction& f) const {
    if (f.iommu_group)
        return true;
    uint16_t rid = requester_id(f);
    for (const auto& iommu : inv_->iommus) {
        if (iommu.segment != f.segment && (iommu.type == "vtd" || iommu.type == "amd-vi"))
            continue;
        for (const auto& s : iommu.scopes) {
            if (s.kind == "all" ||
                ((s.kind == "endpoint" || s.kind == "range" || s.kind == "alias") &&
                 s.first <= rid && rid <= s.last))
                return true;
            if (s.kind == "bridge")
                for (const auto* up = parent_of(f); up; up = parent_of(*up))
                    if (requester_id(*up) == s.first)
                        return true;
        }
        std::string source = fmt::format("pci:{}", f.segment);
        for (const auto& m : iommu.id_maps)
            if ((m.source == source || m.source.empty()) && m.input_base <= rid &&
                rid - m.input_base < m.count)
                return true;
    }
    return false;
}

bool FactsBuilder::below_ats_root(const inventory::PciFunction& f) const {
    for (const auto& a : inv_->acpi.ats_roots) {
        if (a.segment != f.segment)
            continue;
        if (a.all_ports)
            return true;
        for (const auto* up = parent_of(f); up; up = parent_of(*up))
            for (const auto& s : a.scopes)
                if (s.first <= requester_id(*up) && requester_id(*up) <= s.last)
                    return true;
    }
    return false;
}

void FactsBuilder::add_devices() {
    Table& devices = table("device");
    Table& regs = table("device_reg");
    Table& dirqs = table("device_irq");
    Table& deps = table("dependency");
    for (const auto& d : inv_->devices) {
        std::string cell = owner_of_device(d.path);
        const Cell* owner = system_.find_cell(cell);
        SourceLocation loc = device_loc_.count(d.path) ? device_loc_.at(d.path) : system_.loc;
        StrList quirks = device_quirks(d.compatible);
        Record& r = devices.add(loc, cell);
        devices.set(r, "path", d.path);
        devices.set(r, "compatible", StrList(d.compatible));
        devices.set(r, "status", d.status);
        devices.set(r, "cell", cell);
        devices.set(r, "cell_root", owner && owner->root);
        std::set<std::string> touching;
        int64_t in_cell = 0;
        for (const auto& reg : d.regs) {
            uint64_t end = end_of(reg.base, reg.size);
            for (auto& name : cells_touching(reg.base, end))
                touching.insert(name);
            in_cell += owner && region_covering(*owner, reg.base, end) != nullptr;
            const Cell* reg_owner = owner_of(reg.base, end);
            Record& rr = regs.add(loc, reg_owner ? reg_owner->name : "");
            regs.set(rr, "path", d.path);
            regs.set(rr, "cell", reg_owner ? reg_owner->name : "");
            regs.set(rr, "cell_root", reg_owner && reg_owner->root);
            regs.set(rr, "irq_count", uint64_t(d.irqs.size()));
            regs.set(rr, "irqs_in_cell",
                     reg_owner ? int64_t(std::count_if(d.irqs.begin(), d.irqs.end(),
                                                       [&](const inventory::Interrupt& i) {
                                                           return cell_has_irq(*reg_owner, i.id);
                                                       }))
                               : int64_t(0));
            regs.set(rr, "base", reg.base);
            regs.set(rr, "end", end);
            regs.set(rr, "page", page_down(reg.base));
            regs.set(rr, "page_end", page_up(end));
        }
        devices.set(r, "cells", StrList(touching.begin(), touching.end()));
        devices.set(r, "reg_count", uint64_t(d.regs.size()));
        devices.set(r, "regs_in_cell", in_cell);
        IntList irqs, sids;
        for (const auto& i : d.irqs)
            irqs.push_back(i.id);
        for (uint32_t s : d.stream_ids)
            sids.push_back(s);
        devices.set(r, "irqs", irqs);
        devices.set(r, "stream_ids", sids);
        devices.set(r, "iommu", d.iommu);
        devices.set(r, "dma_capable",
                    !d.stream_ids.empty() ||
                        std::find(quirks.begin(), quirks.end(), "dma") != quirks.end());
        devices.set(r, "quirks", std::move(quirks));

        if (owner && d.status == "okay")
            for (const auto& i : d.irqs) {
                bool granted = cell_has_irq(*owner, i.id);
                bool spi_number = !granted && i.id >= 32 && cell_has_irq(*owner, i.id - 32);
                // Point at the irqs entry that is wrong: the SPI number written for the INTID.
                Record& ir = dirqs.add(irq_loc(*owner, spi_number ? i.id - 32 : i.id), cell);
                dirqs.set(ir, "path", d.path);
                dirqs.set(ir, "cell", cell);
                dirqs.set(ir, "intid", i.id);
                if (i.id >= 32)
                    dirqs.set(ir, "spi", i.id - 32);
                dirqs.set(ir, "granted", granted);
                dirqs.set(ir, "granted_spi_number", spi_number);
                std::string holder;
                for (const auto& other : cells_with_irq(i.id))
                    if (other != cell)
                        holder = other;
                dirqs.set(ir, "holder", holder);
            }
        auto add_deps = [&](const std::vector<std::string>& providers, std::string_view kind) {
            for (const auto& p : providers) {
                Record& dr = deps.add(loc, cell);
                deps.set(dr, "consumer", d.path);
                deps.set(dr, "consumer_cell", cell);
                deps.set(dr, "kind", kind);
                deps.set(dr, "provider", p);
                deps.set(dr, "provider_cell", owner_of_device(p));
            }
        };
        add_deps(d.clocks, "clock");
        add_deps(d.power_domains, "power-domain");
        add_deps(d.resets, "reset");
    }
}

void FactsBuilder::add_reserved() {
    Table& reserved = table("reserved");
    Table& used = table("device_reserved");
    for (const auto& rr : inv_->reserved) {
        uint64_t end = end_of(rr.region.base, rr.region.size);
        Record& r = reserved.add(system_.loc);
        reserved.set(r, "name", rr.name);
        reserved.set(r, "kind", rr.kind);
        reserved.set(r, "base", rr.region.base);
        reserved.set(r, "end", end);
        reserved.set(r, "no_map", rr.no_map);
        reserved.set(r, "devices", StrList(rr.devices));
        for (const auto& dev : rr.devices) {
            std::string cell = owner_of_device(dev);
            const Cell* owner = system_.find_cell(cell);
            if (!owner)
                continue;
            Record& u = used.add(device_loc_.at(dev), cell);
            used.set(u, "device", dev);
            used.set(u, "cell", cell);
            used.set(u, "kind", rr.kind);
            used.set(u, "base", rr.region.base);
            used.set(u, "end", end);
            used.set(u, "mapped", region_covering(*owner, rr.region.base, end) != nullptr);
        }
    }
}

void FactsBuilder::add_inventory_facts() {
    add_devices();
    add_reserved();
}

void FactsBuilder::add_guest_facts(std::span<const GuestTree> trees) {
    Table& t = table("guest_irq");
    for (const auto& g : trees) {
        const Cell* cell = system_.find_cell(g.cell);
        if (!cell)
            continue;
        for (const auto& d : g.tree.devices)
            for (const auto& i : d.irqs) {
                bool granted = cell_has_irq(*cell, i.id);
                uint32_t nearby = !granted && cell_has_irq(*cell, i.id + 32) ? i.id + 32
                                  : !granted && i.id >= 32 && cell_has_irq(*cell, i.id - 32)
                                      ? i.id - 32
                                      : i.id;
                // The configuration's irqs entry is where the two disagree; the message names
                // the guest file and node.
                Record& r = t.add(irq_loc(*cell, nearby), cell->name);
                t.set(r, "cell", cell->name);
                t.set(r, "file", g.file);
                t.set(r, "node", d.path);
                t.set(r, "intid", i.id);
                t.set(r, "granted", granted);
                if (nearby != i.id)
                    t.set(r, "granted_nearby", nearby);
            }
    }
}

} // namespace jailconf::kb
