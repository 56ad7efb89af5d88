// PCI host bridges (device_type "pci"): ECAM window, bus range, address windows from `ranges`
// and the legacy INTx routes of `interrupt-map`. PCI devices described below a host are the PCI
// scanner's business and are not listed as platform devices.
#include <fmt/format.h>

#include "scan/dt/cells.hpp"
#include "scan/dt/interpret.hpp"
#include "scan/dt/translate.hpp"

namespace jailconf::scan::dt {
namespace {

bool has_ecam(const Index& ix, uint32_t n) {
    for (const std::string& c : ix.strings(n, "compatible"))
        if (c.find("ecam") != std::string::npos)
            return true;
    return false;
}

// phys.hi of a PCI address: bits 25:24 the space, bit 30 prefetchable.
const char* window_type(uint32_t hi) {
    switch ((hi >> 24) & 3) {
    case 1:
        return "io";
    case 2:
        return (hi >> 30) & 1 ? "prefetch" : "mem";
    case 3:
        return (hi >> 30) & 1 ? "prefetch" : "mem64";
    default:
        return nullptr; // configuration space
    }
}

void windows(Context& ctx, uint32_t n, inventory::PciHost& host) {
    const Index& ix = ctx.index;
    const Property* ranges = ix.prop(n, "ranges");
    uint32_t parent = ix.node(n).parent;
    uint32_t ac = ix.address_cells(n), pac = ix.address_cells(parent), sc = ix.size_cells(n);
    if (!ranges || ranges->value.empty())
        return;
    if (ac != 3 || pac > 3 || sc > 2 || ranges->value.size() % ((ac + pac + sc) * 4) != 0) {
        ctx.warn("dt-pci-ranges", fmt::format("{}: `ranges` is not a list of 3-cell PCI to "
                                              "{}-cell CPU windows",
                                              ix.path(n), pac));
        return;
    }
    Cells cells(ranges->value);
    while (!cells.done()) {
        uint32_t hi = 0;
        u128 pci = 0, cpu = 0, size = 0;
        (void)(cells.u32(hi) && cells.number(2, pci) && cells.number(pac, cpu) &&
               cells.number(sc, size));
        const char* type = window_type(hi);
        if (!type)
            continue;
        std::string why;
        auto cpu_addr = translate(ix, parent, cpu, why);
        if (!cpu_addr) {
            ctx.warn("dt-pci-ranges", ix.path(n) + ": window not translated: " + why);
            continue;
        }
        host.windows.push_back(
            inventory::PciWindow{type, *cpu_addr, uint64_t(pci), uint64_t(size)});
    }
}

// The map lists patterns (interrupt-map-mask usually ignores the upper device bits), so each
// slot and pin of the root bus is looked up through it, as a device there would be.
void intx_routes(Context& ctx, uint32_t n, inventory::PciHost& host) {
    const Index& ix = ctx.index;
    if (!ix.has(n, "interrupt-map"))
        return;
    std::string why;
    if (!ctx.irqs.map_of(n, why)) {
        ctx.warn("dt-pci-intx", ix.path(n) + ": " + why);
        return;
    }
    for (uint32_t device = 0; device < 32; ++device)
        for (uint32_t pin = 1; pin <= 4; ++pin) {
            std::vector<uint32_t> address{uint32_t(host.bus_start) << 16 | device << 11, 0, 0};
            auto spec = ctx.irqs.resolve(n, {pin}, address, why);
            if (!spec)
                continue; // no route for this slot and pin
            auto irq = ctx.irqs.to_intid(*spec, why);
            if (!irq) {
                ctx.warn("dt-pci-intx", ix.path(n) + ": " + why);
                return;
            }
            host.intx_routes.push_back(
                inventory::PciIntxRoute{host.bus_start, uint8_t(device), 0, uint8_t(pin), *irq});
        }
}

} // namespace

void interpret_pci(Context& ctx) {
    const Index& ix = ctx.index;
    uint16_t next_segment = 0;
    for (uint32_t n : ctx.preorder) {
        std::string type = ix.string(n, "device_type");
        if ((type != "pci" && type != "pciex") || ctx.claimed[n] || n == 0)
            continue;
        // Devices described below a host are PCI functions, not platform devices.
        for (uint32_t c : ix.node(n).children)
            ctx.claim_subtree(c);
        if (!ix.enabled(n))
            continue; // stays a (disabled) platform device: nothing to plan with
        ctx.claim(n);
        inventory::PciHost host;
        host.path = ix.path(n);
        host.origin = ix.origin(n);
        auto domain = ix.u32(n, "linux,pci-domain");
        host.segment = domain ? uint16_t(*domain) : next_segment;
        next_segment = uint16_t(host.segment + 1);
        if (const Property* br = ix.prop(n, "bus-range"); br && br->value.size() == 8) {
            host.bus_start = uint8_t(std::min<uint32_t>(fdt::be32(br->value, 0), 255));
            host.bus_end = uint8_t(std::min<uint32_t>(fdt::be32(br->value, 4), 255));
        }
        std::vector<std::string> notes;
        auto regs = translated_regs(ix, n, notes);
        for (const std::string& note : notes)
            ctx.warn("dt-pci-reg", ix.path(n) + ": " + note);
        if (has_ecam(ix, n) && !regs.empty()) {
            host.ecam = regs.front();
        } else {
            auto compat = ix.strings(n, "compatible");
            ctx.warn("dt-pci-no-ecam",
                     fmt::format("{} ({}) has no ECAM window: its config space is reached through "
                                 "controller-specific registers",
                                 host.path, compat.empty() ? "no compatible" : compat.front()));
        }
        windows(ctx, n, host);
        intx_routes(ctx, n, host);
        ctx.inv.pci_hosts.push_back(std::move(host));
    }
}

} // namespace jailconf::scan::dt
