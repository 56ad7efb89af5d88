// IOMMUs (every node with #iommu-cells; Arm SMMU versions named) and the `iommu-map` properties
// that say which PCI requester ids reach them as which stream ids.
#include <unordered_map>

#include <fmt/format.h>

#include "scan/dt/cells.hpp"
#include "scan/dt/interpret.hpp"
#include "scan/dt/translate.hpp"

namespace jailconf::scan::dt {
namespace {

std::string iommu_type(const Index& ix, uint32_t n) {
    if (ix.compatible_with(n, "arm,smmu-v3"))
        return "smmuv3";
    for (const char* c : {"arm,smmu-v1", "arm,mmu-400", "arm,mmu-401"})
        if (ix.compatible_with(n, c))
            return "smmuv1";
    for (const std::string& c : ix.strings(n, "compatible"))
        if (c == "arm,smmu-v2" || c.ends_with("mmu-500") || c.ends_with(",smmu-v2"))
            return "smmuv2";
    // Not an Arm SMMU (e.g. a SoC-private IOMMU): its compatible string says what it is.
    auto compat = ix.strings(n, "compatible");
    return compat.empty() ? std::string("unknown") : compat.front();
}

// iommu-map = <rid-base &iommu iommu-base length>..., the iommu part #iommu-cells wide.
void id_maps(Context& ctx, const std::unordered_map<uint32_t, size_t>& by_node) {
    const Index& ix = ctx.index;
    for (uint32_t n : ctx.preorder) {
        const Property* map = ix.prop(n, "iommu-map");
        if (!map)
            continue;
        // The ids are masked before the map applies; a mask other than all-ones folds many
        // requester ids onto the listed ones, which IdMapping cannot say: warn.
        if (auto mask = ix.u32(n, "iommu-map-mask"); mask && *mask != 0xffff && *mask != 0xffffffff)
            ctx.warn("dt-iommu-map-mask",
                     fmt::format("{}: iommu-map-mask {:#x}: requester ids are masked before the "
                                 "id-map entries apply",
                                 ix.path(n), *mask));
        Cells cells(map->value);
        size_t entries = 0;
        while (!cells.done() && entries++ < max_map_entries) {
            uint32_t rid = 0, ph = 0, length = 0;
            std::vector<uint32_t> spec;
            auto target = cells.u32(rid) && cells.u32(ph) ? ix.by_phandle(ph) : std::nullopt;
            auto count = target ? ix.u32(*target, "#iommu-cells") : std::nullopt;
            if (!count || !cells.take(*count, spec) || !cells.u32(length)) {
                ctx.warn("dt-iommu-map", fmt::format("{}: `iommu-map` entry {} names a missing "
                                                     "IOMMU or is truncated",
                                                     ix.path(n), entries - 1));
                break;
            }
            auto it = by_node.find(*target);
            if (it == by_node.end())
                continue;
            ctx.inv.iommus[it->second].id_maps.push_back(
                inventory::IdMapping{rid, spec.empty() ? 0 : spec.front(), length, ix.path(n)});
        }
    }
}

} // namespace

void interpret_iommus(Context& ctx) {
    const Index& ix = ctx.index;
    std::unordered_map<uint32_t, size_t> by_node;
    for (uint32_t n : ctx.preorder) {
        // A disabled IOMMU translates nothing; it stays a (disabled) platform device.
        if (!ix.has(n, "#iommu-cells") || ctx.claimed[n])
            continue;
        if (!ix.enabled(n)) {
            ctx.warn("dt-iommu-disabled", ix.path(n) + " is disabled (status " + ix.status(n) +
                                              "): listed as a device, not as an IOMMU");
            continue;
        }
        ctx.claim(n);
        inventory::Iommu iommu;
        iommu.type = iommu_type(ix, n);
        std::vector<std::string> notes;
        auto regs = translated_regs(ix, n, notes);
        if (!regs.empty())
            iommu.region = regs.front();
        ctx.irqs.device_irqs(n, iommu.irqs, notes);
        for (const std::string& note : notes)
            ctx.warn("dt-iommu", ix.path(n) + ": " + note);
        iommu.path = ix.path(n);
        iommu.origin = ix.origin(n);
        by_node.emplace(n, ctx.inv.iommus.size());
        ctx.inv.iommus.push_back(std::move(iommu));
    }
    id_maps(ctx, by_node);
}

} // namespace jailconf::scan::dt
