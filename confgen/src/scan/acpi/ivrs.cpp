// IVRS: AMD-Vi IOMMUs (IVHD blocks) with their device entries, and memory the IOMMU must map
// for devices (IVMD blocks).
//
// Firmware usually describes each IOMMU twice or three times (IVHD types 10h, 11h, 40h) so that
// older OSes find a block they understand; the blocks of one IOMMU share base address and segment.
// Like an OS, the inventory keeps only the highest type per IOMMU: one Iommu, that block's entries.
#include <fmt/format.h>

#include <map>
#include <optional>
#include <utility>

#include "scan/acpi/table.hpp"

namespace jailconf::scan::acpi {

using inventory::IommuScope;

namespace {

constexpr size_t kFirstBlock = 48; // header + IVinfo (4) + reserved (8)
constexpr size_t kIvhd10Header = 24;
constexpr size_t kIvhd11Header = 40; // types 11h and 40h add attributes and the EFR image
constexpr size_t kIvmdSize = 32;
constexpr size_t kHidEntryFixed = 22;  // 0xF0 entry up to and including the UID length byte
constexpr uint64_t kMmioSize = 0x4000; // the architected register block; EFR may add more

std::string bdf(uint16_t id) {
    return fmt::format("{:02x}:{:02x}.{:x}", id >> 8, (id >> 3) & 0x1f, id & 7);
}

// Size of a device entry from its type: 4 bytes below 40h, 8 bytes below 80h, variable above,
// where only the ACPI HID entry (F0h) has a defined layout.
std::optional<size_t> entry_size(std::string_view b, size_t off, size_t end) {
    const uint8_t type = u8(b, off);
    if (type < 0x40)
        return 4;
    if (type < 0x80)
        return 8;
    if (type == 0xf0) {
        if (end - off < kHidEntryFixed)
            return kHidEntryFixed; // the caller reports the overrun
        return kHidEntryFixed + u8(b, off + 21);
    }
    return std::nullopt;
}

std::string hid_entry_name(std::string_view b, size_t off, size_t size) {
    std::string name = fixed_text(b, off + 4, 8);
    const uint8_t uid_format = u8(b, off + 20);
    const size_t uid_len = size - kHidEntryFixed;
    if (uid_len == 0)
        return name;
    if (uid_format == 1 && uid_len <= 8) // an integer UID
        return fmt::format("{}:{}", name, read_le(b, off + kHidEntryFixed, uid_len));
    return name + ":" + fixed_text(b, off + kHidEntryFixed, uid_len);
}

struct RangeStart {
    size_t offset;
    IommuScope scope;
};

Expected<std::vector<IommuScope>, ScanError>
parse_entries(const Table& t, size_t block, size_t start, size_t end, uint16_t segment) {
    const std::string_view b = t.bytes;
    std::vector<IommuScope> scopes;
    std::optional<RangeStart> open;
    size_t off = start;
    while (off < end) {
        const uint8_t type = u8(b, off);
        const auto size = entry_size(b, off, end);
        if (!size)
            return Unexpected(t.malformed(
                off, fmt::format("IVHD device entry type 0x{:02x} is variable-length and unknown; "
                                 "its end cannot be found",
                                 type)));
        if (*size > end - off)
            return Unexpected(t.malformed(
                off, fmt::format("IVHD device entry type 0x{:02x} of {} bytes runs past the end "
                                 "of its IVHD block at 0x{:x}",
                                 type, *size, block)));
        if (open && type != 0x04)
            return Unexpected(t.malformed(
                open->offset, fmt::format("IVHD range start entry is followed by type 0x{:02x} "
                                          "instead of a range end (type 0x04)",
                                          type)));
        IommuScope sc;
        sc.segment = segment;
        sc.first = sc.last = u16(b, off + 1);
        sc.settings = u8(b, off + 3);
        switch (type) {
        case 0x01: // all devices
            sc.kind = "all";
            sc.first = 0;
            sc.last = 0xffff;
            scopes.push_back(sc);
            break;
        case 0x02: // select
        case 0x46: // extended select (the extended data is ATS and similar settings)
            sc.kind = "endpoint";
            scopes.push_back(sc);
            break;
        case 0x03: // start of range
        case 0x47: // extended start of range
            sc.kind = "range";
            open = RangeStart{off, sc};
            break;
        case 0x42: // alias select: the device issues DMA with another requester id
            sc.kind = "alias";
            sc.alias = u16(b, off + 5);
            scopes.push_back(sc);
            break;
        case 0x43: // alias start of range
            sc.kind = "alias";
            sc.alias = u16(b, off + 5);
            open = RangeStart{off, sc};
            break;
        case 0x04: { // end of range
            if (!open)
                return Unexpected(t.malformed(
                    off, "IVHD range end entry (type 0x04) without a range start before it"));
            IommuScope range = open->scope;
            range.last = sc.first;
            if (range.last < range.first)
                return Unexpected(
                    t.malformed(off, fmt::format("IVHD range ends at {} before its start {}",
                                                 bdf(range.last), bdf(range.first))));
            scopes.push_back(range);
            open.reset();
            break;
        }
        case 0x48: { // special device: IOAPIC or HPET, named by its id and its requester id
            const uint8_t variety = u8(b, off + 7);
            if (variety == 1 || variety == 2) {
                sc.kind = variety == 1 ? "ioapic" : "hpet";
                sc.handle = u8(b, off + 4);
                sc.first = sc.last = u16(b, off + 5);
                scopes.push_back(sc);
            }
            break;
        }
        case 0xf0: // ACPI namespace device, by _HID (and _UID)
            sc.kind = "namespace";
            sc.path = hid_entry_name(b, off, *size);
            scopes.push_back(sc);
            break;
        default: // 0x00 padding and reserved types carry nothing
            break;
        }
        off += *size;
    }
    if (open)
        return Unexpected(t.malformed(open->offset,
                                      "IVHD range start entry is the last entry of its block; "
                                      "the range end (type 0x04) is missing"));
    return scopes;
}

struct Ivhd {
    uint8_t type;
    inventory::Iommu iommu;
};

ParseResult parse_ivmd(const Table& t, size_t off, uint32_t type, size_t len, ScanState& s) {
    if (auto c = check_structure(t, off, len, kIvmdSize, "IVRS IVMD block"); !c)
        return c;
    const std::string_view b = t.bytes;
    inventory::ReservedRange r;
    r.region = inventory::Region{u64(b, off + 16), u64(b, off + 24)};
    r.name = "IVMD";
    r.kind = "ivmd";
    r.origin = t.origin(off);
    const uint16_t dev = u16(b, off + 4);
    if (type == 0x20)
        r.devices.push_back("all");
    else if (type == 0x21)
        r.devices.push_back(bdf(dev));
    else
        r.devices.push_back(bdf(dev) + "-" + bdf(u16(b, off + 6)));
    s.inv.reserved.push_back(std::move(r));
    return Ok{};
}

} // namespace

ParseResult parse_ivrs(const Table& t, ScanState& s) {
    if (t.bytes.size() < kFirstBlock)
        return Unexpected(t.malformed(
            kHeaderSize,
            fmt::format("IVRS is {} bytes, ends before its first block at 48", t.bytes.size())));
    std::vector<Ivhd> units; // in table order of first appearance
    std::map<std::pair<uint64_t, uint16_t>, size_t> unit_index; // (base, segment) -> units[]
    auto r = for_each_subtable(
        t, kFirstBlock, SubtableLayout{1, 2, 2}, "IVRS",
        [&](size_t off, uint32_t type, size_t len) -> ParseResult {
            const std::string_view b = t.bytes;
            if (type == 0x20 || type == 0x21 || type == 0x22)
                return parse_ivmd(t, off, type, len, s);
            if (type != 0x10 && type != 0x11 && type != 0x40)
                return Ok{}; // a block type this scanner does not know; its length skips it
            const size_t header = type == 0x10 ? kIvhd10Header : kIvhd11Header;
            if (auto c = check_structure(t, off, len, header,
                                         fmt::format("IVRS IVHD type 0x{:02x} block", type));
                !c)
                return c;
            inventory::Iommu u;
            u.type = "amd-vi";
            u.region = inventory::Region{u64(b, off + 8), kMmioSize};
            u.segment = u16(b, off + 16);
            u.path = fmt::format("IVHD {} at {:04x}:{}", fmt::format("0x{:02x}", type), u.segment,
                                 bdf(u16(b, off + 4)));
            u.origin = t.origin(off);
            auto scopes = parse_entries(t, off, off + header, off + len, u.segment);
            if (!scopes)
                return Unexpected(scopes.error());
            u.scopes = std::move(*scopes);
            const auto key = std::make_pair(u.region.base, u.segment);
            if (auto it = unit_index.find(key); it != unit_index.end()) {
                if (type > units[it->second].type)
                    units[it->second] = Ivhd{static_cast<uint8_t>(type), std::move(u)};
                return Ok{};
            }
            unit_index.emplace(key, units.size());
            units.push_back(Ivhd{static_cast<uint8_t>(type), std::move(u)});
            return Ok{};
        });
    if (!r)
        return r;
    for (auto& unit : units)
        s.inv.iommus.push_back(std::move(unit.iommu));
    return Ok{};
}

} // namespace jailconf::scan::acpi
