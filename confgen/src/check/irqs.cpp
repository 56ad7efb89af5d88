// Interrupt ownership: JC-IRQ-RANGE (what a cell may own on this interrupt controller, link
// doorbells included) and JC-IRQ-DUP (an interrupt owned by two cells).
#include <algorithm>
#include <fmt/format.h>

#include "check/check_util.hpp"
#include "check/checks.hpp"

namespace jailconf::checks {
namespace {

// GIC: SGIs (0-15) and PPIs (16-31) are per-CPU and virtualised by the hypervisor; SPIs are
// 32-1019; 1020-1023 are special. x86: the IOAPIC's 0-255.
struct IrqBounds {
    uint32_t min;
    uint32_t max;
};

IrqBounds bounds(Arch arch) {
    return is_arm(arch) ? IrqBounds{32, 1019} : IrqBounds{0, 255};
}

// Reports [first, last] (owned by `who`) if part of it is outside the assignable range.
void check_range(Arch arch, uint32_t first, uint32_t last, std::string_view who,
                 const SourceLocation& loc, Diagnostics& diags) {
    const IrqBounds b = bounds(arch);
    std::string parts, why, fix;
    if (first < b.min) {
        uint32_t hi = std::min(last, b.min - 1);
        parts = id_range_text(first, hi);
        why = "INTIDs 0-31 are SGIs and PPIs, per-CPU and virtualised by the hypervisor";
        fix = fmt::format("if you meant SPI {0}, write INTID {1} (SPI n is INTID n+32)",
                          id_range_text(first, hi), id_range_text(first + 32, hi + 32));
    }
    if (last > b.max) {
        uint32_t lo = std::max(first, b.max + 1);
        parts += (parts.empty() ? "" : " and ") + id_range_text(lo, last);
        why += std::string(why.empty() ? "" : "; ") +
               (is_arm(arch) ? "SPIs end at INTID 1019 (1020-1023 are special)"
                             : "the IOAPIC has interrupts 0-255 only");
        if (fix.empty())
            fix = fmt::format("use interrupts {}-{} only", b.min, b.max);
    }
    if (parts.empty())
        return;
    bool plural = parts.find_first_of("- ") != std::string::npos;
    diags.report("JC-IRQ-RANGE", loc,
                 fmt::format("interrupt{} {} of {} cannot be assigned on {}: {}", plural ? "s" : "",
                             parts, who, to_string(arch), why),
                 fix);
}

} // namespace

void check_irqs(const System& system, Diagnostics& diags) {
    for (const Cell& cell : system.cells) {
        for (const IdRange& r : cell.irqs) {
            if (r.first > r.last)
                continue;
            const IrqBounds b = bounds(system.arch);
            if (r.first >= b.min && r.last <= b.max)
                continue;
            check_range(system.arch, r.first, r.last, fmt::format("cell '{}'", cell.name), r.loc,
                        diags);
        }
    }
    for (const Link& link : system.links)
        if (link.doorbell_irq)
            check_range(system.arch, *link.doorbell_irq, *link.doorbell_irq,
                        fmt::format("link '{}' (doorbell_irq)", link.name), link.loc, diags);
    check_shared_ids(system, {&Cell::irqs, "JC-IRQ-DUP", "interrupt"}, diags);
}

} // namespace jailconf::checks
