// RAM (/memory nodes), /reserved-memory children with the devices that use them, and the blob's
// /memreserve/ entries.
#include <unordered_map>

#include <fmt/format.h>

#include "scan/dt/interpret.hpp"
#include "scan/dt/phandle_list.hpp"
#include "scan/dt/translate.hpp"

namespace jailconf::scan::dt {
namespace {

void ram(Context& ctx) {
    const Index& ix = ctx.index;
    for (uint32_t n : ix.node(0).children) {
        if (ix.string(n, "device_type") != "memory")
            continue;
        ctx.claim_subtree(n);
        if (!ix.enabled(n))
            continue;
        std::vector<std::string> notes;
        auto regs = translated_regs(ix, n, notes);
        for (const std::string& note : notes)
            ctx.warn("dt-memory-reg", ix.path(n) + ": " + note);
        std::optional<uint32_t> numa = ix.u32(n, "numa-node-id");
        for (const auto& r : regs)
            if (r.size != 0)
                ctx.inv.memory.push_back(inventory::MemoryRange{r, numa, ix.origin(n)});
    }
}

void reserved(Context& ctx) {
    const Index& ix = ctx.index;
    uint32_t rm = ix.child(0, "reserved-memory");
    if (rm == no_node)
        return;
    ctx.claim_subtree(rm);
    // Who uses each region: one pass over the tree, not one per region.
    std::unordered_map<uint32_t, std::vector<std::string>> users;
    for (uint32_t n : ctx.preorder) {
        std::vector<PhandleRef> refs;
        std::string why;
        if (!phandle_list(ix, n, "memory-region", "", refs, why))
            ctx.warn("dt-memory-region", ix.path(n) + ": " + why);
        for (const PhandleRef& r : refs)
            users[r.node].push_back(ix.path(n));
    }
    for (uint32_t n : ix.node(rm).children) {
        if (!ix.enabled(n))
            continue;
        if (!ix.has(n, "reg")) {
            ctx.warn("dt-reserved-dynamic",
                     ix.path(n) + ": reserved memory without `reg` (placed by the OS at boot); "
                                  "its address is only known on the running system");
            continue;
        }
        std::vector<std::string> notes;
        auto regs = translated_regs(ix, n, notes);
        for (const std::string& note : notes)
            ctx.warn("dt-reserved-reg", ix.path(n) + ": " + note);
        for (const auto& r : regs) {
            inventory::ReservedRange range;
            range.region = r;
            range.name = ix.node(n).name;
            range.kind = "reserved-memory";
            range.no_map = ix.has(n, "no-map");
            auto it = users.find(n);
            if (it != users.end())
                range.devices = it->second;
            range.origin = ix.origin(n);
            ctx.inv.reserved.push_back(std::move(range));
        }
    }
}

} // namespace

void interpret_memory(Context& ctx) {
    ram(ctx);
    reserved(ctx);
    for (const MemReserve& m : ctx.index.tree().memreserve) {
        inventory::ReservedRange range;
        range.region = {m.address, m.size};
        range.name = "/memreserve/";
        range.kind = "memreserve";
        range.origin = inventory::Origin{ctx.index.tree().file, m.offset, ""};
        ctx.inv.reserved.push_back(std::move(range));
    }
}

} // namespace jailconf::scan::dt
