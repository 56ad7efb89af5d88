// The RAM the planner may hand out: the root cell's RAM regions (as generate built them, so
// without the hypervisor's memory) minus every reserved range of the inventory, including those
// the kernel maps (CMA pools, firmware carve-outs: devices of the root use them). Allocation is
// top-down: the highest aligned block that fits, so the root keeps low memory (DMA zones, the
// kernel image) and the result depends only on the inputs.
#include <algorithm>
#include <fmt/format.h>

#include "plan/state.hpp"

namespace jailconf::plan::detail {
namespace {

constexpr uint32_t ram_flags = mem_read | mem_write | mem_execute | mem_dma;

void take(State& st, Span s) {
    std::vector<Span> out;
    for (const Span& f : st.free_ram)
        for (const Span& rest : generate::subtract(f, {s}))
            out.push_back(rest);
    st.free_ram = std::move(out);
    carve_memory(st.root(), s);
}

} // namespace

void init_ram_pool(State& st) {
    std::vector<Span> reserved;
    for (const auto& r : st.inv.reserved)
        reserved.push_back(generate::pages_of(r.region.base, r.region.size));
    st.free_ram.clear();
    for (const auto& r : st.root().memory)
        if (r.flags == ram_flags)
            for (const Span& s :
                 generate::subtract({r.phys.value, r.phys.value + r.size}, reserved))
                st.free_ram.push_back(s);
    std::sort(st.free_ram.begin(), st.free_ram.end(),
              [](const Span& a, const Span& b) { return a.begin < b.begin; });
}

std::optional<Span> allocate_ram(State& st, uint64_t size, uint64_t align,
                                 const std::vector<Span>& avoid) {
    for (auto it = st.free_ram.rbegin(); it != st.free_ram.rend(); ++it) {
        auto pieces = generate::subtract(*it, avoid);
        for (auto p = pieces.rbegin(); p != pieces.rend(); ++p) {
            if (p->size() < size)
                continue;
            uint64_t begin = (p->end - size) & ~(align - 1);
            if (begin < p->begin)
                continue;
            Span s{begin, begin + size};
            take(st, s);
            return s;
        }
    }
    return std::nullopt;
}

Expected<Span, std::string> claim_ram(State& st, uint64_t phys, uint64_t size) {
    Span want{phys, phys + size};
    if (want.end < want.begin)
        return Unexpected(std::string("the range wraps around the address space"));
    for (const Span& f : st.free_ram)
        if (want.begin >= f.begin && want.end <= f.end) {
            take(st, want);
            return want;
        }
    if (want.overlaps({st.sys.hypervisor.memory_phys.value,
                       st.sys.hypervisor.memory_phys.value + st.sys.hypervisor.memory_size}))
        return Unexpected(fmt::format(
            "it overlaps the hypervisor's memory {:#x}-{:#x}", st.sys.hypervisor.memory_phys.value,
            st.sys.hypervisor.memory_phys.value + st.sys.hypervisor.memory_size - 1));
    for (const auto& r : st.inv.reserved)
        if (want.overlaps(generate::pages_of(r.region.base, r.region.size)))
            return Unexpected(fmt::format("it overlaps reserved range '{}' {:#x}-{:#x} ({})",
                                          r.name, r.region.base, r.region.base + r.region.size - 1,
                                          r.origin.str()));
    for (const auto& m : st.inv.memory)
        if (want.begin >= m.region.base && want.end <= m.region.base + m.region.size)
            return Unexpected(std::string("part of it is already given to another cell or link"));
    return Unexpected(std::string("it is not inside the machine's RAM"));
}

uint64_t largest_free(const State& st, uint64_t align) {
    uint64_t best = 0;
    for (const Span& f : st.free_ram) {
        uint64_t begin = (f.begin + align - 1) & ~(align - 1);
        if (begin < f.end)
            best = std::max(best, f.end - begin);
    }
    return best;
}

} // namespace jailconf::plan::detail
