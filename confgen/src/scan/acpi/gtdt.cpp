// GTDT: the architected timer's interrupts (the per-CPU PPIs). Platform timer blocks and
// watchdogs after them are not read yet.
#include <fmt/format.h>

#include "scan/acpi/table.hpp"

namespace jailconf::scan::acpi {

namespace {

constexpr size_t kTimersEnd = 80; // through the non-secure EL2 timer's flags
// GSIV and flags of the secure EL1, non-secure EL1, virtual and non-secure EL2 timers, in the
// order a device tree's arch timer node lists them.
constexpr size_t kTimerFields[] = {48, 56, 64, 72};

// GTDT timer flags: bit 0 set = edge, bit 1 set = active low.
inventory::Trigger decode(uint32_t flags) {
    const bool edge = flags & 1;
    const bool low = flags & 2;
    if (edge)
        return low ? inventory::Trigger::edge_falling : inventory::Trigger::edge_rising;
    return low ? inventory::Trigger::level_low : inventory::Trigger::level_high;
}

} // namespace

ParseResult parse_gtdt(const Table& t, ScanState& s) {
    if (t.bytes.size() < kTimersEnd)
        return Unexpected(
            t.malformed(kHeaderSize,
                        fmt::format("GTDT is {} bytes, ends before the timer interrupts ({} bytes)",
                                    t.bytes.size(), kTimersEnd)));
    inventory::Timer timer;
    timer.type = "arch-timer";
    for (size_t off : kTimerFields)
        timer.irqs.push_back(
            inventory::Interrupt{u32(t.bytes, off), decode(u32(t.bytes, off + 4))});
    timer.origin = t.origin(kTimerFields[0]);
    s.inv.timers.push_back(std::move(timer));
    return Ok{};
}

} // namespace jailconf::scan::acpi
