// MCFG: the PCI Express ECAM windows, one 16-byte allocation per segment group and bus range.
//
// The table's base address is where bus 0 of the segment would be (PCI Firmware spec), even when
// the allocation starts at a later bus. The inventory wants the window that really is decoded:
// ecam.base = base + (start_bus << 20), ecam.size = (end_bus - start_bus + 1) << 20, the same
// meaning a device-tree host bridge's `reg` has.
#include <fmt/format.h>

#include "scan/acpi/table.hpp"

namespace jailconf::scan::acpi {

namespace {
constexpr size_t kFirstAllocation = 44; // header + 8 reserved bytes
constexpr size_t kAllocationSize = 16;
} // namespace

ParseResult parse_mcfg(const Table& t, ScanState& s) {
    if (t.bytes.size() < kFirstAllocation)
        return Unexpected(t.malformed(
            kHeaderSize, fmt::format("MCFG is {} bytes, ends before its first allocation at 44",
                                     t.bytes.size())));
    const size_t body = t.bytes.size() - kFirstAllocation;
    if (body % kAllocationSize != 0)
        return Unexpected(t.malformed(
            kFirstAllocation + body - body % kAllocationSize,
            fmt::format("MCFG allocations take {} bytes, not a multiple of {}: the last one is cut",
                        body, kAllocationSize)));
    for (size_t off = kFirstAllocation; off < t.bytes.size(); off += kAllocationSize) {
        const uint64_t base = u64(t.bytes, off);
        inventory::PciHost h;
        h.segment = u16(t.bytes, off + 8);
        h.bus_start = u8(t.bytes, off + 10);
        h.bus_end = u8(t.bytes, off + 11);
        if (h.bus_end < h.bus_start)
            return Unexpected(t.malformed(
                off, fmt::format("MCFG allocation ends at bus {} before its start bus {}",
                                 h.bus_end, h.bus_start)));
        const uint64_t offset = uint64_t{h.bus_start} << 20;
        if (base > UINT64_MAX - offset)
            return Unexpected(t.malformed(
                off, fmt::format("MCFG base 0x{:x} plus the start bus overflows", base)));
        h.ecam = inventory::Region{base + offset, uint64_t{h.bus_end - h.bus_start + 1u} << 20};
        h.origin = t.origin(off);
        s.inv.pci_hosts.push_back(std::move(h));
    }
    return Ok{};
}

} // namespace jailconf::scan::acpi
