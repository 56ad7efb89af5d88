// Links: shared memory between the cells the system descriptor names as peers, with an optional
// doorbell interrupt (docs/links.md). The system descriptor lists every link at boot; a peer is
// a cell *name*, so a link waits for its non-root peers until the root creates cells of those
// names. This ledger checks the links at boot against what only the hypervisor knows (its own
// memory, the root's regions and interrupts), records which cell slot stands for which peer,
// answers the inmates' queries (find by name, ring) and says when link memory must be zeroed.
// Link memory belongs to no cell: it never moves in or out of the root's regions, so a cell
// that is not a peer can never map it.
// Arch-neutral: mapping the memory into stage 2 and delivering doorbells is the caller's job.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/cells/cell_config.hpp"
#include "core/cells/irq_set.hpp"
#include "core/cells/ownership.hpp"
#include "core/result/result.hpp"
#include "jailconf/blob_view.hpp"
#include "jailconf/limits.hpp"

namespace hv::cells {

// Links the hypervisor keeps (the format allows more; a descriptor with more is refused at boot
// with Error::too_many_links). 32 so that a cell's links fit one bitmask.
inline constexpr unsigned link_limit = 32;
inline constexpr unsigned link_peer_limit = jailconf::limits::max_link_peers;
// slot_of_peer value of a peer without a cell.
inline constexpr uint8_t no_slot = uint8_t(cell_limit);

struct Link {
    const char* name = ""; // into the system descriptor, which stays in hypervisor memory
    uint64_t phys = 0;
    uint64_t virt = 0;
    uint64_t size = 0;
    uint32_t doorbell = 0; // INTID; 0 = the link has no doorbell
    unsigned peer_count = 0;
    const char* peers[link_peer_limit] = {};
    uint8_t slot_of_peer[link_peer_limit] = {}; // atomic; no_slot while no cell has that name
};

// Which link a boot check refused, and why.
struct LinkFinding {
    Error error = Error::ok;
    unsigned link = 0;

    constexpr bool ok() const { return error == Error::ok; }
};

// What link_find answers.
struct LinkInfo {
    unsigned id = 0; // the link's index in the system descriptor: what link_ring takes
    uint64_t virt = 0;
    uint64_t size = 0;
    unsigned peer_index = 0; // the caller's position in the link's peers
    unsigned peer_count = 0;
    uint32_t doorbell = 0;
};

class Links {
  public:
    // Reads the links of a verified system blob after `ownership.set_root()`. Each link must be
    // page aligned; its memory must not overlap the hypervisor's memory, any root region or
    // another link; its doorbell (if any) must be an SPI that no cell owns (not one of the
    // root's interrupts, which at boot are all of them) and no other link's doorbell; where the
    // root is a peer, the link's guest range must not overlap a root region. The root (slot 0)
    // is attached to every link it is a peer of.
    LinkFinding set_system(const jailconf::jcb::BlobView& system, const Ownership& ownership,
                           PhysRange hypervisor);

    unsigned count() const { return count_; }
    const Link& link(unsigned id) const { return links_[id]; }

    // The links a cell named `name` is a peer of, one bit per link id.
    uint32_t links_of(const char* name) const;
    // The doorbells of those links.
    IrqSet doorbells_of(const char* name) const;
    // Whether a new cell `cell` can have its links mapped: no region of it overlaps, in guest
    // space, a link it is a peer of (Error::link_overlaps_region, `which` = the link id).
    TransferFinding check_cell(const jailconf::jcb::BlobView& cell) const;

    // The cell in `slot` (named `name`) becomes the peer of its links; undone by detach().
    void attach(unsigned slot, const char* name);
    // The cell in `slot` goes away. Returns the links left without any non-root peer cell: their
    // memory is to be zeroed now, so that the next cell of that name starts from a clean link.
    uint32_t detach(unsigned slot);

    // link_find: the link named `name` (`length` bytes, no NUL) that the cell in `slot` is a
    // peer of. Error::no_such_link for an unknown name and for a link of which it is no peer.
    Result<LinkInfo> find(unsigned slot, const char* name, size_t length) const;
    // link_ring: the slots (one bit each) of the other peers that have a cell now. no_such_link
    // for an id out of range, not_a_peer, no_doorbell.
    Result<uint32_t> ring_targets(unsigned slot, uint64_t id) const;

  private:
    int peer_index(unsigned id, unsigned slot) const;

    Link links_[link_limit];
    unsigned count_ = 0;
};

} // namespace hv::cells
