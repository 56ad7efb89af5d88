#include <fmt/format.h>

#include "generate/parts.hpp"

namespace jailconf::generate {

namespace {
constexpr uint64_t hv_alignment = 2ull
                                  << 20; // one stage-1 block: the hypervisor maps itself cheaply

std::vector<Span> reserved_spans(const inventory::Inventory& inv) {
    std::vector<Span> out;
    for (const auto& r : inv.reserved)
        out.push_back(pages_of(r.region.base, r.region.size));
    return out;
}
} // namespace

Expected<Span, GenerateError> reserve_hypervisor_memory(const inventory::Inventory& inv,
                                                        uint64_t size,
                                                        std::optional<uint64_t> phys) {
    if (size == 0 || size % page)
        return Unexpected(GenerateError{fmt::format("hypervisor memory size {:#x} is not a "
                                                    "positive multiple of 4 KiB",
                                                    size),
                                        "give --hv-memory as e.g. 64M"});
    bool any_ram = false;
    for (const auto& m : inv.memory)
        any_ram |= m.region.size != 0;
    if (!any_ram)
        return Unexpected(GenerateError{
            inv.memory.empty()
                ? "the inventory lists no RAM (boards whose boot loader adds the memory node, "
                  "such as many RK3399 boards, have none in their .dtb file)"
                : "the inventory's RAM ranges all have size 0 (boot firmware fills them in at "
                  "boot on boards such as the Raspberry Pi)",
            "scan the running machine (or its /sys/firmware/devicetree) rather than a .dtb file"});
    auto reserved = reserved_spans(inv);
    if (phys) {
        Span want{*phys, *phys + size};
        if (*phys % page || want.end < want.begin)
            return Unexpected(GenerateError{fmt::format("hypervisor memory at {:#x} is not "
                                                        "page-aligned",
                                                        *phys),
                                            "give a 4 KiB-aligned address"});
        for (const auto& m : inv.memory) {
            Span ram = pages_of(m.region.base, m.region.size);
            if (want.begin >= ram.begin && want.end <= ram.end) {
                for (const auto& r : reserved)
                    if (r.overlaps(want))
                        return Unexpected(GenerateError{
                            fmt::format("hypervisor memory {:#x}-{:#x} overlaps reserved range "
                                        "{:#x}-{:#x}",
                                        want.begin, want.end - 1, r.begin, r.end - 1),
                            "choose another address, or omit it to let confgen choose"});
                return want;
            }
        }
        return Unexpected(
            GenerateError{fmt::format("hypervisor memory {:#x}-{:#x} is not inside one RAM range",
                                      want.begin, want.end - 1),
                          "choose an address inside RAM (see 'memory' in the inventory)"});
    }
    // Highest RAM range first: low memory is precious on x86 (DMA zones, firmware).
    std::vector<Span> ram;
    for (const auto& m : inv.memory)
        for (auto s : subtract(pages_of(m.region.base, m.region.size), reserved))
            ram.push_back(s);
    std::sort(ram.begin(), ram.end(),
              [](const Span& a, const Span& b) { return a.begin > b.begin; });
    for (const auto& s : ram) {
        if (s.size() < size)
            continue;
        uint64_t begin = (s.end - size) & ~(hv_alignment - 1);
        if (begin >= s.begin)
            return Span{begin, begin + size};
    }
    uint64_t largest = 0;
    for (const auto& s : ram)
        largest = std::max(largest, s.size());
    return Unexpected(GenerateError{
        fmt::format("no free RAM range holds {} MiB for the hypervisor (largest free range: {} "
                    "KiB)",
                    size >> 20, largest >> 10),
        "give a smaller --hv-memory, or scan as root so that /proc/iomem shows the RAM"});
}

} // namespace jailconf::generate
