// DMAR: Intel VT-d remapping units (DRHD) with their device scopes, and the reserved memory
// regions (RMRR) devices keep using for DMA across the hand-over to the OS, and the root ports
// below which devices may use ATS (ATSR).
//
// A device scope names a device by start bus and a path of (device, function) hops through
// bridges. Only a one-hop path gives the requester id without knowing how the bridges are
// programmed; deeper paths keep the path string and leave first = last = 0.
#include <fmt/format.h>

#include "scan/acpi/table.hpp"

namespace jailconf::scan::acpi {

using inventory::IommuScope;

namespace {

constexpr size_t kFirstStructure = 48; // header + host address width, flags, 10 reserved
constexpr size_t kScopeHeader = 6;
constexpr uint8_t kIncludePciAll = 1u << 0;
constexpr uint8_t kAtsAllPorts = 1u << 0; // ATSR flags

const char* scope_kind(uint8_t type) {
    switch (type) {
    case 1:
        return "endpoint";
    case 2:
        return "bridge";
    case 3:
        return "ioapic";
    case 4:
        return "hpet";
    case 5:
        return "namespace";
    default:
        return nullptr;
    }
}

// The device scopes in [start, end) of the remapping structure at `owner`.
Expected<std::vector<IommuScope>, ScanError>
parse_scopes(const Table& t, size_t owner, size_t start, size_t end, uint16_t segment) {
    std::vector<IommuScope> scopes;
    const std::string_view b = t.bytes;
    size_t off = start;
    while (off < end) {
        if (end - off < 2)
            return Unexpected(
                t.malformed(off, fmt::format("DMAR device scope header cut by the end "
                                             "of its structure at 0x{:x}",
                                             owner)));
        const uint8_t type = u8(b, off);
        const size_t len = u8(b, off + 1);
        if (len < kScopeHeader + 2)
            return Unexpected(t.malformed(
                off, fmt::format("DMAR device scope has length {}, needs its 6-byte header and at "
                                 "least one 2-byte path element",
                                 len)));
        if (len > end - off)
            return Unexpected(t.malformed(
                off, fmt::format("DMAR device scope of length {} runs past the end of its "
                                 "structure at 0x{:x}",
                                 len, owner)));
        if ((len - kScopeHeader) % 2 != 0)
            return Unexpected(t.malformed(
                off, fmt::format("DMAR device scope length {} leaves half a path element", len)));
        const char* kind = scope_kind(type);
        if (kind != nullptr) {
            IommuScope sc;
            sc.kind = kind;
            sc.segment = segment;
            sc.handle = u8(b, off + 4); // enumeration id: IOAPIC id, HPET number, ANDD number
            const uint8_t bus = u8(b, off + 5);
            sc.path = fmt::format("{:02x}:", bus);
            const size_t hops = (len - kScopeHeader) / 2;
            for (size_t i = 0; i < hops; ++i) {
                const uint8_t dev = u8(b, off + kScopeHeader + 2 * i);
                const uint8_t fn = u8(b, off + kScopeHeader + 2 * i + 1);
                if (dev > 31 || fn > 7)
                    return Unexpected(t.malformed(
                        off + kScopeHeader + 2 * i,
                        fmt::format("DMAR device scope path element {:02x}.{:x}: device must be "
                                    "0-31 and function 0-7",
                                    dev, fn)));
                sc.path += fmt::format("{}{:02x}.{:x}", i == 0 ? "" : "/", dev, fn);
                if (hops == 1)
                    sc.first = sc.last = static_cast<uint16_t>(bus << 8 | dev << 3 | fn);
            }
            scopes.push_back(std::move(sc));
        }
        off += len;
    }
    return scopes;
}

std::string device_name(uint16_t segment, const std::string& path) {
    return segment == 0 ? path : fmt::format("{:04x}:{}", segment, path);
}

} // namespace

ParseResult parse_dmar(const Table& t, ScanState& s) {
    if (t.bytes.size() < kFirstStructure)
        return Unexpected(t.malformed(
            kHeaderSize, fmt::format("DMAR is {} bytes, ends before its first remapping structure "
                                     "at 48",
                                     t.bytes.size())));
    return for_each_subtable(
        t, kFirstStructure, SubtableLayout{2, 2, 2}, "DMAR",
        [&](size_t off, uint32_t type, size_t len) -> ParseResult {
            const std::string_view b = t.bytes;
            if (type == 0) { // DRHD
                if (auto c = check_structure(t, off, len, 16, "DMAR DRHD"); !c)
                    return c;
                inventory::Iommu u;
                u.type = "vtd";
                u.segment = u16(b, off + 6);
                const uint64_t base = u64(b, off + 8);
                // Register set size: 2^N 4 KiB pages in bits 3:0 (0 on units before VT-d 2.x).
                u.region = inventory::Region{base, uint64_t{0x1000} << (u8(b, off + 5) & 0xf)};
                u.path = fmt::format("DMAR DRHD 0x{:x}", base);
                u.origin = t.origin(off);
                if (u8(b, off + 4) & kIncludePciAll) {
                    IommuScope all;
                    all.kind = "all";
                    all.segment = u.segment;
                    all.first = 0;
                    all.last = 0xffff;
                    u.scopes.push_back(all);
                }
                auto scopes = parse_scopes(t, off, off + 16, off + len, u.segment);
                if (!scopes)
                    return Unexpected(scopes.error());
                for (auto& sc : *scopes)
                    u.scopes.push_back(std::move(sc));
                s.inv.iommus.push_back(std::move(u));
            } else if (type == 1) { // RMRR
                if (auto c = check_structure(t, off, len, 24, "DMAR RMRR"); !c)
                    return c;
                const uint16_t segment = u16(b, off + 6);
                const uint64_t base = u64(b, off + 8);
                const uint64_t limit = u64(b, off + 16);
                if (limit < base || limit - base == UINT64_MAX)
                    return Unexpected(t.malformed(
                        off, fmt::format("DMAR RMRR limit 0x{:x} is below its base 0x{:x} or "
                                         "spans the whole address space",
                                         limit, base)));
                inventory::ReservedRange r;
                r.region = inventory::Region{base, limit - base + 1};
                r.name = "RMRR";
                r.kind = "rmrr";
                r.origin = t.origin(off);
                auto scopes = parse_scopes(t, off, off + 24, off + len, segment);
                if (!scopes)
                    return Unexpected(scopes.error());
                for (const auto& sc : *scopes)
                    r.devices.push_back(device_name(segment, sc.path));
                s.inv.reserved.push_back(std::move(r));
            } else if (type == 2) { // ATSR
                if (auto c = check_structure(t, off, len, 8, "DMAR ATSR"); !c)
                    return c;
                inventory::AtsRoot a;
                a.segment = u16(b, off + 6);
                a.all_ports = (u8(b, off + 4) & kAtsAllPorts) != 0;
                a.origin = t.origin(off);
                auto scopes = parse_scopes(t, off, off + 8, off + len, a.segment);
                if (!scopes)
                    return Unexpected(scopes.error());
                a.scopes = std::move(*scopes);
                s.inv.acpi.ats_roots.push_back(std::move(a));
            }
            // RHSA, ANDD, SATC: nothing the partitioning uses yet.
            return Ok{};
        });
}

} // namespace jailconf::scan::acpi
