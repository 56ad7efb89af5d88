// RAM and reserved memory at the cell's guest addresses (`virt`).
// - RAM: regions that are readable, writable, not `io`, and not shared in any way
//   (`comm_region`, `shared`, `rootshared`) become memory@<virt> nodes.
// - The communication region and shared regions become /reserved-memory children with no-map,
//   so the guest's allocator never hands them out; so do the links the cell is a peer of, with
//   their doorbell interrupt (binding in docs/guest-device-trees.md).
#include <algorithm>

#include <fmt/format.h>

#include "guest_dt/parts.hpp"

namespace jailconf::guest_dt::detail {
namespace {

constexpr uint32_t shared_flags = mem_comm_region | mem_shared | mem_rootshared;

bool is_ram(const MemoryRegion& r) {
    return (r.flags & mem_io) == 0 && (r.flags & mem_read) && (r.flags & mem_write) &&
           (r.flags & shared_flags) == 0 && r.size != 0;
}

std::vector<uint32_t> reg_of(uint64_t base, uint64_t size) {
    std::vector<uint32_t> reg;
    push64(reg, base);
    push64(reg, size);
    return reg;
}

struct Reserved {
    uint64_t base;
    Node node;
};

} // namespace

std::optional<Error> add_memory(Build& b) {
    std::vector<const MemoryRegion*> ram;
    for (const MemoryRegion& r : b.cell.memory)
        if (is_ram(r))
            ram.push_back(&r);
    if (ram.empty())
        return input_error(fmt::format("cell '{}' has no RAM: no region is read, write and "
                                       "neither io, comm_region, shared nor rootshared",
                                       b.cell.name),
                           "give the cell a RAM region (flags: [read, write, execute])");
    std::stable_sort(ram.begin(), ram.end(), [](const MemoryRegion* x, const MemoryRegion* y) {
        return x->virt < y->virt;
    });
    for (const MemoryRegion* r : ram) {
        Node mem{node_name("memory", r->virt.value), {}, {}, {}};
        mem.properties.push_back(Property::string("device_type", "memory"));
        mem.properties.push_back(Property::cells("reg", reg_of(r->virt.value, r->size)));
        b.tree.root.children.push_back(std::move(mem));
    }

    std::vector<Reserved> reserved;
    for (const MemoryRegion& r : b.cell.memory) {
        if ((r.flags & shared_flags) == 0 || (r.flags & mem_io) || r.size == 0)
            continue;
        bool comm = (r.flags & mem_comm_region) != 0;
        Node n{node_name(comm ? "comm-region" : "shmem", r.virt.value), {}, {}, {}};
        n.properties.push_back(Property::string("compatible", comm ? "jailconf,comm-region"
                                                                   : "jailconf,shared-memory"));
        n.properties.push_back(Property::cells("reg", reg_of(r.virt.value, r.size)));
        n.properties.push_back(Property::flag("no-map"));
        if (!r.name.empty())
            n.properties.push_back(Property::string("jailconf,region", r.name));
        reserved.push_back(Reserved{r.virt.value, std::move(n)});
    }
    for (const Link& l : b.system.links) {
        bool peer = false;
        std::vector<std::string> peers;
        for (const LinkPeer& p : l.peers) {
            peers.push_back(p.cell);
            peer |= p.cell == b.cell.name;
        }
        if (!peer || l.size == 0)
            continue;
        Node n{node_name("shmem", l.virt.value), {}, {}, {}};
        n.properties.push_back(Property::string("compatible", "jailconf,shared-memory"));
        n.properties.push_back(Property::cells("reg", reg_of(l.virt.value, l.size)));
        n.properties.push_back(Property::flag("no-map"));
        n.properties.push_back(Property::string("jailconf,link", l.name));
        n.properties.push_back(Property::strings("jailconf,peers", peers));
        if (l.doorbell_irq) {
            auto spec = gic_specifier(*l.doorbell_irq, inventory::Trigger::edge_rising, 0);
            if (!spec)
                return input_error(fmt::format("link '{}': doorbell_irq {} is not an SPI or PPI "
                                               "INTID",
                                               l.name, *l.doorbell_irq),
                                   "choose an SPI (INTID 32-1019) for the doorbell");
            n.properties.push_back(Property::cells("interrupts", *spec));
        }
        reserved.push_back(Reserved{l.virt.value, std::move(n)});
    }
    if (reserved.empty())
        return std::nullopt;
    std::stable_sort(reserved.begin(), reserved.end(),
                     [](const Reserved& x, const Reserved& y) { return x.base < y.base; });
    Node rm{"reserved-memory", {}, {}, {}};
    rm.properties.push_back(Property::cells("#address-cells", {2}));
    rm.properties.push_back(Property::cells("#size-cells", {2}));
    rm.properties.push_back(Property::flag("ranges"));
    for (Reserved& r : reserved)
        rm.children.push_back(std::move(r.node));
    b.tree.root.children.push_back(std::move(rm));
    return std::nullopt;
}

} // namespace jailconf::guest_dt::detail
