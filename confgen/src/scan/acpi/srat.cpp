// SRAT: NUMA proximity domains of CPUs and memory. Entries without the enabled flag are ignored,
// as the spec asks. Arm CPUs are named by ACPI processor UID here; the MADT GICC entries turn the
// UID into the MPIDR the inventory uses, so the MADT is parsed first.
#include <fmt/format.h>

#include "scan/acpi/table.hpp"

namespace jailconf::scan::acpi {

namespace {
constexpr size_t kFirstSubtable = 48; // header + table revision (4) + reserved (8)
constexpr uint32_t kEnabled = 1u << 0;
constexpr uint32_t kHotPluggable = 1u << 1;
} // namespace

ParseResult parse_srat(const Table& t, ScanState& s) {
    if (t.bytes.size() < kFirstSubtable)
        return Unexpected(t.malformed(
            kHeaderSize,
            fmt::format("SRAT is {} bytes, ends before its first subtable at 48", t.bytes.size())));
    // The upper 24 bits of the APIC affinity domain exist from SRAT revision 2 (ACPI 3.0) on.
    const bool wide_apic_domain = t.header.revision >= 2;
    auto& numa = s.inv.numa;
    return for_each_subtable(
        t, kFirstSubtable, SubtableLayout{1, 1, 1}, "SRAT",
        [&](size_t off, uint32_t type, size_t len) -> ParseResult {
            const std::string_view b = t.bytes;
            switch (type) {
            case 0x0: { // Processor Local APIC affinity
                if (auto c = check_structure(t, off, len, 16, "SRAT local APIC affinity"); !c)
                    return c;
                if (!(u32(b, off + 4) & kEnabled))
                    return Ok{};
                uint32_t domain = u8(b, off + 2);
                if (wide_apic_domain)
                    domain |= static_cast<uint32_t>(read_le(b, off + 9, 3)) << 8;
                numa.cpus.push_back(inventory::NumaCpu{u8(b, off + 3), domain});
                return Ok{};
            }
            case 0x1: { // Memory affinity
                if (auto c = check_structure(t, off, len, 40, "SRAT memory affinity"); !c)
                    return c;
                const uint32_t flags = u32(b, off + 28);
                if (!(flags & kEnabled))
                    return Ok{};
                inventory::NumaMemory m;
                m.domain = u32(b, off + 2);
                m.region = inventory::Region{u64(b, off + 8), u64(b, off + 16)};
                m.hotplug = (flags & kHotPluggable) != 0;
                numa.memory.push_back(m);
                return Ok{};
            }
            case 0x2: { // Processor Local x2APIC affinity
                if (auto c = check_structure(t, off, len, 24, "SRAT x2APIC affinity"); !c)
                    return c;
                if (!(u32(b, off + 12) & kEnabled))
                    return Ok{};
                numa.cpus.push_back(inventory::NumaCpu{u32(b, off + 8), u32(b, off + 4)});
                return Ok{};
            }
            case 0x3: { // GICC affinity
                if (auto c = check_structure(t, off, len, 18, "SRAT GICC affinity"); !c)
                    return c;
                if (!(u32(b, off + 10) & kEnabled))
                    return Ok{};
                const uint32_t uid = u32(b, off + 6);
                if (auto it = s.gicc_uid_to_mpidr.find(uid); it != s.gicc_uid_to_mpidr.end()) {
                    numa.cpus.push_back(inventory::NumaCpu{it->second, u32(b, off + 2)});
                    return Ok{};
                }
                s.inv.warnings.push_back(inventory::Warning{
                    "srat-unknown-cpu",
                    fmt::format("{}+0x{:x}: SRAT GICC affinity names ACPI processor UID {}, which "
                                "no MADT GICC entry has; its NUMA domain is dropped",
                                t.file, off, uid)});
                return Ok{};
            }
            default: // ITS and generic initiator affinity: not part of the inventory
                return Ok{};
            }
        });
}

} // namespace jailconf::scan::acpi
