// RAM and the communication region of a non-root cell.
//
// Physical placement: top-down from the root's free RAM (ram_pool.cpp), aligned to `align`
// (default 2 MiB for 2 MiB or more, so that stage 2 can use block mappings; 4 KiB otherwise).
// Guest placement: the first RAM region starts at guest 0x48000000 on Arm, where the bundled
// inmates are linked (docs/boot-protocol.md), at 0 on x86; later regions follow, each at the next
// address aligned to its alignment that collides with nothing the cell maps. The first region is
// `loadable` (the cell's image goes there and it starts at its guest address).
// The comm region is one 4 KiB page of RAM flagged `comm_region` at guest 0x80000000, or, if the
// cell maps something there, the first free page above everything it maps.
#include <fmt/format.h>

#include "plan/state.hpp"

namespace jailconf::plan::detail {
namespace {

constexpr uint64_t arm_ram_guest_base = 0x48000000;
constexpr uint64_t comm_guest_base = 0x80000000;
constexpr uint64_t block = 2ull << 20;

uint64_t align_up(uint64_t v, uint64_t a) {
    return (v + a - 1) & ~(a - 1);
}

// The first address >= `from`, aligned to `align`, where `size` bytes collide with no span.
uint64_t free_guest(const std::vector<Span>& used, uint64_t from, uint64_t size, uint64_t align) {
    uint64_t at = align_up(from, align);
    for (bool moved = true; moved;) {
        moved = false;
        for (const Span& u : used)
            if (u.overlaps({at, at + size})) {
                at = align_up(u.end, align);
                moved = true;
            }
    }
    return at;
}

std::string mib(uint64_t v) {
    return v % (1ull << 20) == 0 ? fmt::format("{} MiB", v >> 20) : fmt::format("{} KiB", v >> 10);
}

bool dma_capable(const Cell& cell) {
    return !cell.pci_devices.empty() || !cell.stream_ids.empty();
}

} // namespace

bool plan_memory(State& st, const CellRequest& req, Cell& cell) {
    uint64_t next_virt = st.sys.arch == Arch::x86_64 ? 0 : arm_ram_guest_base;
    for (size_t i = 0; i < req.memory.size(); ++i) {
        const MemoryRequest& m = req.memory[i];
        if (m.size == 0 || m.size % generate::page) {
            st.error("JC-PLAN-MEMORY", m.loc,
                     fmt::format("cell {}: memory size {:#x} is not a multiple of 4 KiB", req.name,
                                 m.size),
                     "give a size like 64M or 0x100000");
            return false;
        }
        uint64_t align = m.align ? m.align : (m.size >= block ? block : generate::page);
        if (align < generate::page || (align & (align - 1))) {
            st.error("JC-PLAN-MEMORY", m.loc,
                     fmt::format("cell {}: alignment {:#x} is not a power of two of at least "
                                 "4 KiB",
                                 req.name, align),
                     "write align: 4K, 64K or 2M");
            return false;
        }
        Span phys;
        std::string how;
        if (m.phys) {
            if (*m.phys % align) {
                st.error("JC-PLAN-MEMORY", m.loc,
                         fmt::format("cell {}: phys {:#x} is not aligned to {:#x}", req.name,
                                     *m.phys, align),
                         "give an aligned address, or phys: auto");
                return false;
            }
            auto claimed = claim_ram(st, *m.phys, m.size);
            if (!claimed) {
                st.error("JC-PLAN-MEMORY", m.loc,
                         fmt::format("cell {}: RAM {:#x}-{:#x} cannot be given: {}", req.name,
                                     *m.phys, *m.phys + m.size - 1, claimed.error()),
                         "choose another address, or phys: auto");
                return false;
            }
            phys = *claimed;
            how = "physical address from the request";
        } else {
            auto got = allocate_ram(st, m.size, align);
            if (!got) {
                st.error("JC-PLAN-MEMORY", m.loc,
                         fmt::format("cell {} asks {} of RAM aligned to {}; the largest free "
                                     "block is {} (the root's RAM minus the hypervisor's {}, "
                                     "reserved ranges and what earlier cells and links took)",
                                     req.name, mib(m.size), mib(align),
                                     mib(largest_free(st, align)),
                                     mib(st.sys.hypervisor.memory_size)),
                         "ask for less memory, a smaller alignment, or a smaller hypervisor");
                return false;
            }
            phys = *got;
            how = fmt::format("top-down allocation from the root cell's free RAM, aligned to {}",
                              mib(align));
        }
        uint64_t virt =
            m.virt ? *m.virt : free_guest(guest_spans(st.sys, cell), next_virt, m.size, align);
        next_virt = virt + m.size;
        MemoryRegion r;
        r.name = m.name.empty() ? (i == 0 ? std::string("ram") : fmt::format("ram{}", i)) : m.name;
        r.phys = PhysAddr{phys.begin};
        r.virt = GuestAddr{virt};
        r.size = m.size;
        r.flags = mem_read | mem_write | mem_execute | (i == 0 ? uint32_t(mem_loadable) : 0u) |
                  (dma_capable(cell) ? uint32_t(mem_dma) : 0u);
        cell.memory.push_back(r);
        st.record(cell.name, memory_key(phys.begin), "request", st.facts.memory(phys), m.loc,
                  fmt::format("{}; guest address {:#x}: {}{}", how, virt,
                              m.virt ? "from the request"
                                     : (st.sys.arch == Arch::x86_64
                                            ? "guest RAM starts at 0"
                                            : "guest RAM starts at 0x48000000, where the "
                                              "bundled inmates are linked"),
                              i == 0 ? "; loadable: the cell's image goes here" : ""));
    }
    return true;
}

bool plan_comm_region(State& st, const CellRequest& req, Cell& cell) {
    auto got = allocate_ram(st, generate::page, generate::page);
    if (!got) {
        st.error("JC-PLAN-MEMORY", req.loc,
                 fmt::format("cell {}: no free 4 KiB page of RAM left for its communication "
                             "region",
                             req.name),
                 "ask for less memory in the cells");
        return false;
    }
    auto used = guest_spans(st.sys, cell);
    uint64_t virt = comm_guest_base;
    for (const Span& u : used)
        if (u.overlaps({virt, virt + generate::page})) {
            virt = 0;
            for (const Span& v : used)
                virt = std::max(virt, align_up(v.end, generate::page));
            break;
        }
    MemoryRegion r;
    r.name = "comm";
    r.phys = PhysAddr{got->begin};
    r.virt = GuestAddr{virt};
    r.size = generate::page;
    r.flags = mem_read | mem_write | mem_comm_region;
    cell.memory.push_back(r);
    st.record(cell.name, memory_key(got->begin), "policy", st.facts.memory(*got), req.loc,
              fmt::format("every non-root cell gets a 4 KiB communication region (state, "
                          "messages, watchdog heartbeat) from the root's RAM, top-down; guest "
                          "address {:#x} ({})",
                          virt,
                          virt == comm_guest_base ? "the fixed comm-region address"
                                                  : "above everything the cell maps, as "
                                                    "0x80000000 is taken"));
    if (req.watchdog) {
        cell.watchdog = *req.watchdog;
        st.record(cell.name, "watchdog", "request",
                  fmt::format("heartbeat in the comm region at guest {:#x}", virt),
                  req.watchdog->loc,
                  fmt::format("timeout {} ms from the request", req.watchdog->timeout_ms));
    }
    return true;
}

} // namespace jailconf::plan::detail
