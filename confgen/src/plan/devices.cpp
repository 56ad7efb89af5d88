// Devices of a non-root cell: platform devices selected by device-tree path or compatible string
// move with their register pages, SPIs and stream ids; PCI functions selected by BDF or class
// move with their whole IOMMU group (the inventory's iommu_group, or, when the machine has no
// IOMMU groups, every function behind the same bridge without ACS, or the functions of one
// multi-function device without ACS). Everything a device shares with a device that stays
// behind (a register page, an interrupt line) is an error: the hardware cannot split it.
#include <algorithm>
#include <fmt/format.h>

#include "generate/parts.hpp"
#include "plan/state.hpp"
#include "util/spelling.hpp"

namespace jailconf::plan::detail {
namespace {

using inventory::Device;
using inventory::PciFunction;

constexpr uint32_t device_flags = mem_read | mem_write | mem_io;

std::string region_name(const std::string& path, size_t index, size_t count) {
    std::string base = path.substr(path.rfind('/') + 1);
    std::string name;
    for (char c : base) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '.' || c == '-';
        name += ok ? c : '-';
    }
    if (name.empty() || name.front() == '-' || name.front() == '.')
        name.insert(0, "r");
    name = name.substr(0, 56);
    return count > 1 ? fmt::format("{}.{}", name, index) : name;
}

bool matches(const DeviceSelector& s, const Device& d) {
    if (s.kind == DeviceSelector::Kind::path)
        return d.path == s.text;
    return std::find(d.compatible.begin(), d.compatible.end(), s.text) != d.compatible.end();
}

bool is_hv_console(const State& st, const Device& d) {
    if (!st.sys.hypervisor.console || st.sys.hypervisor.console->type == ConsoleType::ns16550_pio)
        return false;
    uint64_t base = st.sys.hypervisor.console->base;
    for (const auto& r : d.regs)
        if (base >= r.base && base < r.base + r.size)
            return true;
    return false;
}

Bdf bdf_of(const PciFunction& f) {
    return Bdf{f.segment, f.bus, f.device, f.function};
}

const PciFunction* find_pci(const inventory::Inventory& inv, const std::string& bdf) {
    for (const auto& f : inv.pci)
        if (f.bdf() == bdf)
            return &f;
    return nullptr;
}

// The functions that must move together with `f`, and why.
std::vector<const PciFunction*> group_of(const inventory::Inventory& inv, const PciFunction& f,
                                         std::string& why) {
    std::vector<const PciFunction*> out;
    if (f.iommu_group) {
        for (const auto& g : inv.pci)
            if (g.iommu_group == f.iommu_group && !g.is_bridge())
                out.push_back(&g);
        why = fmt::format("IOMMU group {} (inventory)", *f.iommu_group);
        return out;
    }
    if (!f.parent.empty()) {
        const PciFunction* bridge = find_pci(inv, f.parent);
        if (bridge && !bridge->acs) {
            for (const auto& g : inv.pci)
                if (g.parent == f.parent && !g.is_bridge())
                    out.push_back(&g);
            why = fmt::format("behind bridge {} without ACS (no IOMMU groups in the inventory)",
                              f.parent);
            return out;
        }
    }
    if (!f.acs) {
        for (const auto& g : inv.pci)
            if (g.segment == f.segment && g.bus == f.bus && g.device == f.device && !g.is_bridge())
                out.push_back(&g);
        why = "functions of one multi-function device without ACS";
        return out;
    }
    out.push_back(&f);
    why = "its own group (ACS)";
    return out;
}

struct Picked {
    std::vector<const Device*> devices;
    std::vector<const DeviceSelector*> device_sel;
    std::vector<const PciFunction*> pci;
    std::vector<const DeviceSelector*> pci_sel;
    std::vector<std::string> pci_why;
};

class DevicePlanner {
  public:
    DevicePlanner(State& st, const CellRequest& req, Cell& cell)
        : st_(st), req_(req), cell_(cell) {}

    bool run() {
        bool ok = true;
        for (const auto& s : req_.devices)
            ok &= select(s);
        for (const auto& s : extra_)
            ok &= select(s);
        if (!ok)
            return false;
        for (size_t i = 0; i < picked_.devices.size(); ++i)
            ok &= give_device(*picked_.devices[i], *picked_.device_sel[i]);
        for (size_t i = 0; i < picked_.pci.size(); ++i)
            ok &= give_pci(*picked_.pci[i], *picked_.pci_sel[i], picked_.pci_why[i]);
        return ok;
    }

    void add_selector(const DeviceSelector& s) { extra_.push_back(s); }
    bool picked(const Device& d) const {
        return std::find(picked_.devices.begin(), picked_.devices.end(), &d) !=
               picked_.devices.end();
    }

  private:
    bool select(const DeviceSelector& s) {
        if (s.kind == DeviceSelector::Kind::pci || s.kind == DeviceSelector::Kind::pci_class)
            return select_pci(s);
        return select_platform(s);
    }

    bool refuse(const DeviceSelector& s, std::string message, std::string fix) {
        st_.error("JC-PLAN-DEVICE", s.loc, std::move(message), std::move(fix));
        return false;
    }

    bool select_platform(const DeviceSelector& s) {
        std::vector<const Device*> found;
        for (const auto& d : st_.inv.devices)
            if (matches(s, d))
                found.push_back(&d);
        if (found.empty()) {
            std::vector<std::string_view> names;
            for (const auto& d : st_.inv.devices) {
                if (s.kind == DeviceSelector::Kind::path)
                    names.push_back(d.path);
                else
                    for (const auto& c : d.compatible)
                        names.push_back(c);
            }
            std::string guess = closest_name(s.text, names, default_max_edits(s.text));
            return refuse(s,
                          fmt::format("cell {}: {} matches no device of the inventory", req_.name,
                                      s.describe()),
                          guess.empty() ? "use a path or compatible string from the inventory's "
                                          "`devices:` (confgen scan output)"
                                        : fmt::format("did you mean '{}'?", guess));
        }
        uint32_t wanted = s.count.value_or(0);
        uint32_t taken = 0;
        std::string why_not;
        for (const Device* d : found) {
            if (s.count && taken == wanted)
                break;
            std::string reason;
            if (d->status != "okay")
                reason = fmt::format("{} is disabled in the device tree (status \"{}\")", d->path,
                                     d->status);
            else if (generate::hypervisor_owned(st_.inv, *d))
                reason = fmt::format("{} is owned by the hypervisor (interrupt controller, IOMMU "
                                     "or PCI host)",
                                     d->path);
            else if (is_hv_console(st_, *d))
                reason = fmt::format("{} is the hypervisor's console", d->path);
            else if (auto it = st_.device_owner.find(d->path); it != st_.device_owner.end())
                reason = fmt::format("{} is already given to cell {}", d->path, it->second);
            else if (d->regs.empty() && d->irqs.empty())
                reason = fmt::format("{} has neither registers nor interrupts", d->path);
            if (!reason.empty()) {
                if (s.kind == DeviceSelector::Kind::path || !s.count)
                    return refuse(s, fmt::format("cell {}: {}", req_.name, reason),
                                  "select another device, or remove it from the other cell");
                why_not += (why_not.empty() ? "" : "; ") + reason;
                continue;
            }
            if (picked(*d))
                continue;
            picked_.devices.push_back(d);
            picked_.device_sel.push_back(&s);
            st_.device_owner[d->path] = cell_.name;
            ++taken;
        }
        if (s.count && taken < wanted)
            return refuse(s,
                          fmt::format("cell {} asks for {} devices with {}; {} {} free ({})",
                                      req_.name, wanted, s.describe(), taken,
                                      taken == 1 ? "is" : "are", why_not),
                          "ask for fewer, or free them in the other cells");
        return true;
    }

    bool select_pci(const DeviceSelector& s) {
        std::vector<const PciFunction*> found;
        for (const auto& f : st_.inv.pci) {
            if (s.kind == DeviceSelector::Kind::pci
                    ? bdf_of(f) == s.bdf
                    : (f.class_code & s.class_mask) == s.class_code && !f.is_bridge())
                found.push_back(&f);
        }
        if (found.empty())
            return refuse(s,
                          fmt::format("cell {}: {} matches no PCI function of the inventory "
                                      "({} functions)",
                                      req_.name, s.describe(), st_.inv.pci.size()),
                          "use a BDF or class from the inventory's `pci:` (confgen scan output)");
        uint32_t wanted = s.count.value_or(0);
        uint32_t taken = 0;
        std::string why_not;
        for (const PciFunction* f : found) {
            if (s.count && taken == wanted)
                break;
            std::string reason;
            if (f->is_bridge())
                reason = fmt::format("{} is a bridge; bridges stay with the root cell", f->bdf());
            else if (auto it = st_.pci_owner.find(bdf_of(*f).packed()); it != st_.pci_owner.end())
                reason = fmt::format("PCI {} is already given to cell {}", f->bdf(), it->second);
            if (!reason.empty()) {
                if (s.kind == DeviceSelector::Kind::pci || !s.count)
                    return refuse(s, fmt::format("cell {}: {}", req_.name, reason),
                                  "select another function, or remove it from the other cell");
                why_not += (why_not.empty() ? "" : "; ") + reason;
                continue;
            }
            std::string why;
            auto group = group_of(st_.inv, *f, why);
            for (const PciFunction* g : group) {
                auto it = st_.pci_owner.find(bdf_of(*g).packed());
                if (it != st_.pci_owner.end() && it->second != cell_.name)
                    return refuse(s,
                                  fmt::format("cell {}: PCI {} must move with {} ({}), which is "
                                              "already given to cell {}",
                                              req_.name, f->bdf(), g->bdf(), why, it->second),
                                  "give the whole group to one cell");
            }
            for (const PciFunction* g : group) {
                if (st_.pci_owner.count(bdf_of(*g).packed()))
                    continue;
                st_.pci_owner[bdf_of(*g).packed()] = cell_.name;
                picked_.pci.push_back(g);
                picked_.pci_sel.push_back(&s);
                picked_.pci_why.push_back(g == f ? std::string("selected by the request")
                                                 : fmt::format("moves with {}: {}", f->bdf(), why));
            }
            ++taken;
        }
        if (s.count && taken < wanted)
            return refuse(s,
                          fmt::format("cell {} asks for {} PCI functions with {}; {} {} free ({})",
                                      req_.name, wanted, s.describe(), taken,
                                      taken == 1 ? "is" : "are", why_not),
                          "ask for fewer, or free them in the other cells");
        return true;
    }

    // Register pages and interrupts the device shares with a device that is not moving along.
    std::string shared_with(const Device& d) const {
        for (const auto& o : st_.inv.devices) {
            if (&o == &d || o.status != "okay" || generate::hypervisor_owned(st_.inv, o))
                continue;
            auto owner = st_.device_owner.find(o.path);
            if (owner != st_.device_owner.end() && owner->second == cell_.name)
                continue;
            for (const auto& a : d.regs)
                for (const auto& b : o.regs)
                    if (a.size && b.size &&
                        generate::pages_of(a.base, a.size)
                            .overlaps(generate::pages_of(b.base, b.size)))
                        return fmt::format("its registers at {:#x} share a 4 KiB page with {}",
                                           a.base, o.path);
            for (const auto& a : d.irqs)
                for (const auto& b : o.irqs)
                    if (a.id == b.id && a.id >= 32)
                        return fmt::format("its interrupt {} is also {}'s", a.id, o.path);
        }
        return {};
    }

    bool give_device(const Device& d, const DeviceSelector& s) {
        if (auto shared = shared_with(d); !shared.empty())
            return refuse(s, fmt::format("cell {}: {} cannot move: {}", req_.name, d.path, shared),
                          "select the other device for this cell too, or leave both with the "
                          "root cell");
        const std::string origin = d.origin.str();
        size_t n = 0, count = 0;
        for (const auto& r : d.regs)
            count += r.size != 0;
        for (const auto& r : d.regs) {
            if (!r.size)
                continue;
            Span pages = generate::pages_of(r.base, r.size);
            carve_memory(st_.root(), pages);
            MemoryRegion m;
            m.name = region_name(d.path, n++, count);
            m.phys = PhysAddr{pages.begin};
            m.virt = GuestAddr{pages.begin};
            m.size = pages.size();
            m.flags = device_flags;
            cell_.memory.push_back(m);
            st_.record(
                cell_.name, memory_key(pages.begin), "inventory",
                fmt::format("registers {:#x}+{:#x} of {} ({})", r.base, r.size, d.path, origin),
                s.loc,
                fmt::format("device selected by {}; its register pages, mapped at their "
                            "physical address",
                            s.describe()));
        }
        for (const auto& i : d.irqs) {
            if (i.id < 32 || i.id > 1019)
                continue; // SGIs and PPIs are per CPU and never move
            if (auto it = st_.irq_owner.find(i.id); it != st_.irq_owner.end()) {
                if (it->second == cell_.name)
                    continue;
                return refuse(s,
                              fmt::format("cell {}: interrupt {} of {} is already given to {}",
                                          req_.name, i.id, d.path, it->second),
                              "give devices that share an interrupt to the same cell");
            }
            carve_id(st_.root().irqs, i.id);
            st_.irq_owner[i.id] = cell_.name;
            cell_.irqs.push_back({i.id, i.id, {}});
            st_.record(cell_.name, irq_key(i.id), "inventory",
                       fmt::format("interrupt of {} ({})", d.path, origin), s.loc,
                       fmt::format("device selected by {}", s.describe()));
        }
        for (uint32_t sid : d.stream_ids) {
            auto& root_sids = st_.root().stream_ids;
            root_sids.erase(std::remove_if(root_sids.begin(), root_sids.end(),
                                           [sid](const StreamId& x) { return x.id == sid; }),
                            root_sids.end());
            cell_.stream_ids.push_back({sid, {}});
            st_.record(cell_.name, sid_key(sid), "inventory",
                       fmt::format("stream id of {} behind {} ({})", d.path, d.iommu, origin),
                       s.loc, fmt::format("device selected by {}", s.describe()));
        }
        return true;
    }

    bool give_pci(const PciFunction& f, const DeviceSelector& s, const std::string& why) {
        Bdf bdf = bdf_of(f);
        auto& root_pci = st_.root().pci_devices;
        auto it = std::find_if(root_pci.begin(), root_pci.end(),
                               [&bdf](const PciDevice& d) { return d.bdf == bdf; });
        if (it == root_pci.end())
            return refuse(s, fmt::format("PCI {} is not a function of the root cell", f.bdf()),
                          "scan the machine again");
        PciDevice dev = *it;
        root_pci.erase(it);
        const std::string origin = f.origin.str();
        for (const auto& b : f.bars) {
            if (b.index > 5 || !b.region.size)
                continue;
            if (b.io) {
                if (st_.sys.arch == Arch::x86_64 && b.region.base + b.region.size <= 0x10000) {
                    cell_.pio.push_back({uint16_t(b.region.base), uint32_t(b.region.size), {}});
                    st_.record(cell_.name, pio_key(uint16_t(b.region.base)), "inventory",
                               fmt::format("I/O BAR {} of {} ({})", b.index, f.bdf(), origin),
                               s.loc, why);
                }
                continue;
            }
            std::vector<Span> holes;
            if (f.msix && f.msix->table_bar == b.index)
                holes.push_back(generate::pages_of(b.region.base + f.msix->table_offset,
                                                   uint64_t(f.msix->table_size) * 16));
            Span whole = generate::pages_of(b.region.base, b.region.size);
            carve_memory(st_.root(), whole);
            for (const Span& piece : generate::subtract(whole, holes)) {
                MemoryRegion m;
                m.name =
                    fmt::format("pci-{:02x}-{:02x}.{}-bar{}", f.bus, f.device, f.function, b.index);
                m.phys = PhysAddr{piece.begin};
                m.virt = GuestAddr{piece.begin};
                m.size = piece.size();
                m.flags = device_flags;
                cell_.memory.push_back(m);
                st_.record(cell_.name, memory_key(piece.begin), "inventory",
                           fmt::format("BAR {} {:#x}+{:#x} of {} ({})", b.index, b.region.base,
                                       b.region.size, f.bdf(), origin),
                           s.loc,
                           why + "; the BAR is mapped at its address, the MSI-X table page "
                                 "stays with the hypervisor");
            }
        }
        // Stream ids of the function: the requester id through the IOMMUs' PCI id maps.
        uint32_t rid = uint32_t(f.bus) << 8 | uint32_t(f.device) << 3 | f.function;
        for (const auto& m : st_.inv.iommus)
            for (const auto& map : m.id_maps)
                if (map.source.starts_with("pci") && rid >= map.input_base &&
                    rid - map.input_base < map.count) {
                    uint32_t sid = map.output_base + (rid - map.input_base);
                    cell_.stream_ids.push_back({sid, {}});
                    st_.record(cell_.name, sid_key(sid), "inventory",
                               fmt::format("requester id {:#x} of {} through the id map of {} "
                                           "({})",
                                           rid, f.bdf(), m.path, m.origin.str()),
                               s.loc, why);
                }
        if (f.intx_pin)
            st_.notes.push_back(fmt::format("cell {}: PCI {} keeps its legacy INTx line with the "
                                            "root cell; the cell uses MSI or MSI-X",
                                            cell_.name, f.bdf()));
        st_.record(cell_.name, pci_key(bdf), "inventory", st_.facts.pci(bdf), s.loc, why);
        cell_.pci_devices.push_back(std::move(dev));
        return true;
    }

    State& st_;
    const CellRequest& req_;
    Cell& cell_;
    Picked picked_;
    std::vector<DeviceSelector> extra_;
};

} // namespace

bool plan_devices(State& st, const CellRequest& req, Cell& cell) {
    DevicePlanner planner(st, req, cell);
    if (auto uart = console_device(st, req)) {
        // The console's UART is also a device of the cell, unless the device list selects it.
        bool listed = false;
        for (const auto& d : st.inv.devices)
            if (matches(*uart, d))
                for (const auto& s : req.devices)
                    listed |= matches(s, d);
        if (!listed)
            planner.add_selector(*uart);
    }
    return planner.run();
}

bool selector_matches(const DeviceSelector& s, const inventory::Device& d) {
    return matches(s, d);
}

} // namespace jailconf::plan::detail
