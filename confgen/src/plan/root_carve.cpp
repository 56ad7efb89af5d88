// Taking resources away from the root cell: memory pages out of its regions (splitting a region
// around the hole) and ids out of its id lists. Also the resource keys shared with explain.
#include <fmt/format.h>

#include "plan/state.hpp"

namespace jailconf::plan::detail {

std::string cpu_key(uint32_t id) {
    return fmt::format("cpu {}", id);
}
std::string memory_key(uint64_t phys) {
    return fmt::format("memory {:#x}", phys);
}
std::string irq_key(uint32_t intid) {
    return fmt::format("irq {}", intid);
}
std::string pci_key(const Bdf& bdf) {
    return fmt::format("pci {}", format_bdf(bdf));
}
std::string sid_key(uint32_t sid) {
    return fmt::format("stream_id {:#x}", sid);
}
std::string pio_key(uint16_t base) {
    return fmt::format("pio {:#x}", base);
}
std::string link_key(const std::string& name) {
    return fmt::format("link {}", name);
}
std::string doorbell_key(const std::string& name) {
    return fmt::format("doorbell {}", name);
}

bool carve_memory(Cell& root, Span s) {
    std::vector<MemoryRegion> out;
    bool hit = false;
    for (auto& r : root.memory) {
        Span have{r.phys.value, r.phys.value + r.size};
        if (!have.overlaps(s)) {
            out.push_back(std::move(r));
            continue;
        }
        hit = true;
        for (const Span& keep : generate::subtract(have, {s})) {
            MemoryRegion piece = r;
            piece.phys = PhysAddr{keep.begin};
            piece.virt = GuestAddr{r.virt.value + (keep.begin - have.begin)};
            piece.size = keep.size();
            out.push_back(std::move(piece));
        }
    }
    root.memory = std::move(out);
    return hit;
}

bool has_id(const std::vector<IdRange>& ranges, uint32_t id) {
    for (const auto& r : ranges)
        if (r.contains(id))
            return true;
    return false;
}

bool carve_id(std::vector<IdRange>& ranges, uint32_t id) {
    std::vector<IdRange> out;
    bool hit = false;
    for (const auto& r : ranges) {
        if (!r.contains(id)) {
            out.push_back(r);
            continue;
        }
        hit = true;
        if (r.first < id)
            out.push_back({r.first, id - 1, r.loc});
        if (id < r.last)
            out.push_back({id + 1, r.last, r.loc});
    }
    ranges = std::move(out);
    return hit;
}

std::vector<IdRange> to_ranges(const std::set<uint32_t>& ids) {
    std::vector<IdRange> out;
    for (uint32_t id : ids) {
        if (!out.empty() && out.back().last + 1 == id)
            out.back().last = id;
        else
            out.push_back({id, id, {}});
    }
    return out;
}

std::vector<Span> guest_spans(const System& sys, const Cell& cell) {
    std::vector<Span> out;
    for (const auto& r : cell.memory)
        out.push_back({r.virt.value, r.virt.value + r.size});
    for (const auto& l : sys.links)
        for (const auto& p : l.peers)
            if (p.cell == cell.name)
                out.push_back({l.virt.value, l.virt.value + l.size});
    return out;
}

} // namespace jailconf::plan::detail
