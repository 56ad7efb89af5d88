// Every node not claimed by a dedicated interpreter that has `reg` or interrupts becomes a
// platform device: regs translated to CPU addresses, interrupts as INTIDs, stream ids, and the
// providers of its clocks, power domains and resets.
#include <algorithm>

#include "scan/dt/interpret.hpp"
#include "scan/dt/phandle_list.hpp"
#include "scan/dt/translate.hpp"

namespace jailconf::scan::dt {
namespace {

void providers(const Index& ix, uint32_t n, const char* property, const char* cells,
               std::vector<std::string>& out, std::vector<std::string>& notes) {
    std::vector<PhandleRef> refs;
    std::string why;
    if (!phandle_list(ix, n, property, cells, refs, why))
        notes.push_back(why);
    for (const PhandleRef& r : refs)
        if (std::find(out.begin(), out.end(), ix.path(r.node)) == out.end())
            out.push_back(ix.path(r.node));
}

void stream_ids(const Index& ix, uint32_t n, inventory::Device& d) {
    std::vector<PhandleRef> refs;
    std::string why;
    if (!phandle_list(ix, n, "iommus", "#iommu-cells", refs, why))
        d.notes.push_back(why);
    for (const PhandleRef& r : refs) {
        if (d.iommu.empty())
            d.iommu = ix.path(r.node);
        else if (d.iommu != ix.path(r.node)) {
            d.notes.push_back("also behind IOMMU " + ix.path(r.node) + " (stream ids not listed)");
            continue;
        }
        if (!r.args.empty())
            d.stream_ids.push_back(r.args.front());
    }
}

} // namespace

void interpret_devices(Context& ctx) {
    const Index& ix = ctx.index;
    // Nodes that describe configuration, not hardware.
    for (const char* name : {"chosen", "aliases", "__symbols__", "__fixups__", "__local_fixups__"})
        if (uint32_t n = ix.child(0, name); n != no_node)
            ctx.claim_subtree(n);
    for (uint32_t n : ctx.preorder) {
        if (n == 0 || ctx.claimed[n])
            continue;
        if (!ix.has(n, "reg") && !ix.has(n, "interrupts") && !ix.has(n, "interrupts-extended"))
            continue;
        inventory::Device d;
        d.regs = translated_regs(ix, n, d.notes);
        // Without compatible, interrupts or an MMIO address the node is part of its parent's
        // description (a graph port, an nvmem cell, a numbered power domain), not a device.
        bool has_irqs = ix.has(n, "interrupts") || ix.has(n, "interrupts-extended");
        if (d.regs.empty() && !has_irqs && !ix.has(n, "compatible"))
            continue;
        d.path = ix.path(n);
        d.compatible = ix.strings(n, "compatible");
        d.status = ix.status(n);
        ctx.irqs.device_irqs(n, d.irqs, d.notes);
        stream_ids(ix, n, d);
        providers(ix, n, "clocks", "#clock-cells", d.clocks, d.notes);
        providers(ix, n, "power-domains", "#power-domain-cells", d.power_domains, d.notes);
        providers(ix, n, "resets", "#reset-cells", d.resets, d.notes);
        d.origin = ix.origin(n);
        ctx.inv.devices.push_back(std::move(d));
    }
}

} // namespace jailconf::scan::dt
