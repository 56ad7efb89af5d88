#include "core/cells/links.hpp"

namespace hv::cells {
namespace jcb = jailconf::jcb;

namespace {
constexpr uint64_t page = 4096;
constexpr uint32_t spi_first = 32, spi_end = 1020;

bool same_name(const char* a, const char* b) {
    while (*a != '\0' && *a == *b) {
        ++a;
        ++b;
    }
    return *a == *b;
}

bool same_name(const char* a, const char* b, size_t b_length) {
    for (size_t i = 0; i < b_length; ++i) {
        if (a[i] != b[i] || a[i] == '\0')
            return false;
    }
    return a[b_length] == '\0';
}

uint8_t load_slot(const uint8_t& s) {
    return __atomic_load_n(&s, __ATOMIC_ACQUIRE);
}
void store_slot(uint8_t& s, uint8_t value) {
    __atomic_store_n(&s, value, __ATOMIC_RELEASE);
}

// Verified links never wrap (the verifier checks phys + size and virt + size).
LinkFinding check_one(const Link* links, unsigned id, const Ownership& own, PhysRange hv,
                      bool root_peer) {
    const Link& k = links[id];
    if (k.phys % page != 0 || k.virt % page != 0 || k.size % page != 0 || k.size == 0)
        return {Error::misaligned, id};
    if (hv.overlaps(k.phys, k.size))
        return {Error::link_overlaps_memory, id};
    for (unsigned i = 0; i < own.root_region_count(); ++i) {
        const Region& r = own.root_region(i);
        if (ranges_overlap(k.phys, k.size, r.phys, r.size))
            return {Error::link_overlaps_memory, id};
        if (root_peer && ranges_overlap(k.virt, k.size, r.virt, r.size))
            return {Error::link_overlaps_region, id};
    }
    for (unsigned j = 0; j < id; ++j) {
        if (ranges_overlap(k.phys, k.size, links[j].phys, links[j].size))
            return {Error::link_overlaps_memory, id};
        if (root_peer && ranges_overlap(k.virt, k.size, links[j].virt, links[j].size)) {
            for (unsigned p = 0; p < links[j].peer_count; ++p) {
                if (links[j].slot_of_peer[p] == 0)
                    return {Error::link_overlaps_region, id};
            }
        }
    }
    if (k.doorbell != 0) {
        if (k.doorbell < spi_first || k.doorbell >= spi_end || own.root_irqs().contains(k.doorbell))
            return {Error::doorbell_not_free, id};
        for (unsigned j = 0; j < id; ++j) {
            if (links[j].doorbell == k.doorbell)
                return {Error::doorbell_not_free, id};
        }
    }
    return {};
}
} // namespace

LinkFinding Links::set_system(const jcb::BlobView& system, const Ownership& ownership,
                              PhysRange hypervisor) {
    *this = Links();
    const auto links = system.links();
    if (links.size() > link_limit)
        return {Error::too_many_links, link_limit};
    const char* root_name = system.string(system.cell().name);
    for (uint32_t id = 0; id < links.size(); ++id) {
        const jcb::LinkElem e = links[id];
        Link& k = links_[id];
        k.name = system.string(e.name);
        k.phys = e.phys.get();
        k.virt = e.virt.get();
        k.size = e.size.get();
        k.doorbell = (e.flags.get() & jcb::link_has_doorbell) != 0 ? e.doorbell_irq.get() : 0;
        bool root_peer = false;
        for (const jcb::LinkPeerElem p : system.peers_of(e)) {
            if (k.peer_count == link_peer_limit)
                break; // the verifier bounds peers to max_link_peers
            const char* peer = system.string(p.cell_name);
            const bool root = same_name(peer, root_name);
            root_peer = root_peer || root;
            k.slot_of_peer[k.peer_count] = root ? 0 : no_slot;
            k.peers[k.peer_count++] = peer;
        }
        count_ = id + 1;
        if (const LinkFinding f = check_one(links_, id, ownership, hypervisor, root_peer);
            !f.ok()) {
            *this = Links();
            return f;
        }
    }
    return {};
}

uint32_t Links::links_of(const char* name) const {
    uint32_t mask = 0;
    for (unsigned id = 0; id < count_; ++id) {
        for (unsigned p = 0; p < links_[id].peer_count; ++p) {
            if (same_name(links_[id].peers[p], name))
                mask |= 1u << id;
        }
    }
    return mask;
}

IrqSet Links::doorbells_of(const char* name) const {
    IrqSet set;
    const uint32_t mask = links_of(name);
    for (unsigned id = 0; id < count_; ++id) {
        if ((mask >> id & 1) != 0 && links_[id].doorbell != 0)
            set.add(links_[id].doorbell);
    }
    return set;
}

TransferFinding Links::check_cell(const jcb::BlobView& cell) const {
    const uint32_t mask = links_of(cell.string(cell.cell().name));
    for (unsigned id = 0; id < count_; ++id) {
        if ((mask >> id & 1) == 0)
            continue;
        const Link& k = links_[id];
        for (const jcb::MemoryElem m : cell.memory()) {
            if (ranges_overlap(k.virt, k.size, m.virt.get(), m.size.get()))
                return {Error::link_overlaps_region, ResourceKind::other, id};
        }
        // Two links of one cell at overlapping guest addresses cannot both be mapped.
        for (unsigned j = 0; j < id; ++j) {
            if ((mask >> j & 1) != 0 &&
                ranges_overlap(k.virt, k.size, links_[j].virt, links_[j].size))
                return {Error::link_overlaps_region, ResourceKind::other, id};
        }
    }
    return {};
}

void Links::attach(unsigned slot, const char* name) {
    for (unsigned id = 0; id < count_; ++id) {
        for (unsigned p = 0; p < links_[id].peer_count; ++p) {
            if (same_name(links_[id].peers[p], name))
                store_slot(links_[id].slot_of_peer[p], uint8_t(slot));
        }
    }
}

uint32_t Links::detach(unsigned slot) {
    uint32_t zero = 0;
    for (unsigned id = 0; id < count_; ++id) {
        Link& k = links_[id];
        bool was_peer = false, other_cell_left = false;
        for (unsigned p = 0; p < k.peer_count; ++p) {
            const uint8_t s = load_slot(k.slot_of_peer[p]);
            if (s == slot) {
                store_slot(k.slot_of_peer[p], no_slot);
                was_peer = true;
            } else if (s != no_slot && s != 0) {
                other_cell_left = true;
            }
        }
        if (was_peer && !other_cell_left)
            zero |= 1u << id;
    }
    return zero;
}

int Links::peer_index(unsigned id, unsigned slot) const {
    for (unsigned p = 0; p < links_[id].peer_count; ++p) {
        if (load_slot(links_[id].slot_of_peer[p]) == slot)
            return int(p);
    }
    return -1;
}

Result<LinkInfo> Links::find(unsigned slot, const char* name, size_t length) const {
    for (unsigned id = 0; id < count_; ++id) {
        const Link& k = links_[id];
        if (!same_name(k.name, name, length))
            continue;
        const int p = peer_index(id, slot);
        if (p < 0)
            return Error::no_such_link; // a non-peer learns nothing, not even that it exists
        LinkInfo info;
        info.id = id;
        info.virt = k.virt;
        info.size = k.size;
        info.peer_index = unsigned(p);
        info.peer_count = k.peer_count;
        info.doorbell = k.doorbell;
        return info;
    }
    return Error::no_such_link;
}

Result<uint32_t> Links::ring_targets(unsigned slot, uint64_t id) const {
    if (id >= count_)
        return Error::no_such_link;
    const Link& k = links_[id];
    if (peer_index(unsigned(id), slot) < 0)
        return Error::not_a_peer;
    if (k.doorbell == 0)
        return Error::no_doorbell;
    uint32_t targets = 0;
    for (unsigned p = 0; p < k.peer_count; ++p) {
        const uint8_t s = load_slot(k.slot_of_peer[p]);
        if (s != no_slot && s != slot)
            targets |= 1u << s;
    }
    return targets;
}

} // namespace hv::cells
