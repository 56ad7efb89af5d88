// HPET: the event timer block's register base (one 1 KiB block per table).
#include <fmt/format.h>

#include "scan/acpi/table.hpp"

namespace jailconf::scan::acpi {

namespace {
constexpr size_t kAddressGas = 40; // Generic Address Structure; address at +4
constexpr size_t kHpetSize = 56;
constexpr uint64_t kBlockSize = 0x400;
} // namespace

ParseResult parse_hpet(const Table& t, ScanState& s) {
    if (t.bytes.size() < kHpetSize)
        return Unexpected(t.malformed(
            kHeaderSize,
            fmt::format("HPET is {} bytes, needs {} for the timer block address and number",
                        t.bytes.size(), kHpetSize)));
    inventory::Timer timer;
    timer.type = "hpet";
    timer.region = inventory::Region{u64(t.bytes, kAddressGas + 4), kBlockSize};
    timer.origin = t.origin(kAddressGas);
    s.inv.timers.push_back(std::move(timer));
    return Ok{};
}

} // namespace jailconf::scan::acpi
