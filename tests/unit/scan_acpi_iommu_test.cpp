// DMAR, IVRS and IORT parsing, cross-checked against `iasl -d` of the compiled iasl sources.
#include <fmt/format.h>

#include <map>

#include "scan_acpi_support.hpp"

namespace {

using namespace acpi_test;
using jailconf::inventory::Inventory;
using jailconf::inventory::Iommu;
using jailconf::inventory::IommuScope;

const char* dmar_kind(uint64_t type) {
    static const char* kinds[] = {"", "endpoint", "bridge", "ioapic", "hpet", "namespace"};
    return type < 6 ? kinds[type] : "";
}

// Device scopes of one DMAR structure, from its disassembly: the path and requester id built
// from the "PCI Bus Number" and "PCI Path" lines.
std::vector<IommuScope> dmar_scopes(const Fields& structure, uint16_t segment) {
    std::vector<IommuScope> out;
    for (const auto& g : groups(structure, "Device Scope Type")) {
        IommuScope s;
        s.kind = dmar_kind(hex(g.front().value));
        s.segment = segment;
        s.handle = static_cast<uint32_t>(num(g, "Enumeration ID"));
        const uint64_t bus = num(g, "PCI Bus Number");
        s.path = fmt::format("{:02x}:", bus);
        std::vector<std::pair<uint64_t, uint64_t>> hops;
        for (const auto& f : g)
            if (f.name == "PCI Path") {
                const auto comma = f.value.find(',');
                hops.emplace_back(hex(f.value.substr(0, comma)), hex(f.value.substr(comma + 1)));
            }
        for (size_t i = 0; i < hops.size(); ++i)
            s.path += fmt::format("{}{:02x}.{:x}", i ? "/" : "", hops[i].first, hops[i].second);
        if (hops.size() == 1)
            s.first = s.last =
                static_cast<uint16_t>(bus << 8 | hops[0].first << 3 | hops[0].second);
        out.push_back(s);
    }
    return out;
}

TEST(ScanAcpiIommu, DmarMatchesDisassembly) {
    auto dmar = load("templates/dmar.aml");
    const Inventory inv = scan_ok({dmar.table});
    size_t unit = 0, rmrr = 0, atsr = 0;
    bool deep_path = false;
    for (const auto& g : groups(dmar.dsl, "Subtable Type")) {
        const uint64_t type = hex(g.front().value);
        const auto segment = static_cast<uint16_t>(num(g, "PCI Segment Number"));
        if (type == 0) {
            ASSERT_LT(unit, inv.iommus.size());
            const Iommu& u = inv.iommus[unit++];
            EXPECT_EQ(u.type, "vtd");
            EXPECT_EQ(u.region.base, num(g, "Register Base Address"));
            EXPECT_EQ(u.segment, segment);
            EXPECT_EQ(u.origin.offset, g.front().offset);
            auto want = dmar_scopes(g, segment);
            if (num(g, "Flags") & 1) {
                IommuScope all;
                all.kind = "all";
                all.segment = segment;
                all.last = 0xffff;
                want.insert(want.begin(), all);
            }
            EXPECT_EQ(u.scopes, want);
        } else if (type == 1) {
            ASSERT_LT(rmrr, inv.reserved.size());
            const auto& r = inv.reserved[rmrr++];
            EXPECT_EQ(r.kind, "rmrr");
            EXPECT_EQ(r.region.base, num(g, "Base Address"));
            EXPECT_EQ(r.region.size, num(g, "End Address (limit)") - num(g, "Base Address") + 1);
            std::vector<std::string> devices;
            for (const auto& s : dmar_scopes(g, segment)) {
                devices.push_back(s.path);
                deep_path |= s.path.find('/') != std::string::npos;
            }
            EXPECT_EQ(r.devices, devices);
        } else if (type == 2) {
            ASSERT_LT(atsr, inv.acpi.ats_roots.size());
            const auto& a = inv.acpi.ats_roots[atsr++];
            EXPECT_EQ(a.segment, segment);
            EXPECT_EQ(a.all_ports, (num(g, "Flags") & 1) != 0);
            EXPECT_EQ(a.scopes, dmar_scopes(g, segment));
            EXPECT_EQ(a.origin.offset, g.front().offset);
        }
    }
    EXPECT_EQ(atsr, inv.acpi.ats_roots.size());
    EXPECT_GE(atsr, 1u);
    EXPECT_EQ(unit, inv.iommus.size());
    EXPECT_EQ(rmrr, inv.reserved.size());
    EXPECT_GE(unit, 2u);
    EXPECT_TRUE(deep_path);
    EXPECT_FALSE(has_warning(inv, "no-iommu"));
}

std::string bdf(uint64_t id) {
    return fmt::format("{:02x}:{:02x}.{:x}", id >> 8, (id >> 3) & 0x1f, id & 7);
}

// The entries of one IVHD block as scopes, restated from the disassembly.
std::vector<IommuScope> ivhd_scopes(const Fields& block, uint16_t segment) {
    std::vector<IommuScope> out;
    std::optional<IommuScope> open;
    for (const auto& g : groups(block, "Entry Type")) {
        const uint64_t type = hex(g.front().value);
        IommuScope s;
        s.segment = segment;
        s.first = s.last = static_cast<uint16_t>(num(g, "Device ID"));
        s.settings = static_cast<uint8_t>(num(g, "Data Setting"));
        if (type == 0x01) {
            s.kind = "all";
            s.first = 0;
            s.last = 0xffff;
            out.push_back(s);
        } else if (type == 0x02 || type == 0x46) {
            s.kind = "endpoint";
            out.push_back(s);
        } else if (type == 0x03 || type == 0x47) {
            s.kind = "range";
            open = s;
        } else if (type == 0x42 || type == 0x43) {
            s.kind = "alias";
            s.alias = static_cast<uint16_t>(num(g, "Source Used Device ID"));
            if (type == 0x42)
                out.push_back(s);
            else
                open = s;
        } else if (type == 0x04) {
            EXPECT_TRUE(open.has_value());
            open->last = s.first;
            out.push_back(*open);
            open.reset();
        } else if (type == 0x48) {
            s.kind = num(g, "Variety") == 1 ? "ioapic" : "hpet";
            s.handle = static_cast<uint32_t>(num(g, "Handle"));
            s.first = s.last = static_cast<uint16_t>(num(g, "Source Used Device ID"));
            out.push_back(s);
        }
    }
    return out;
}

TEST(ScanAcpiIommu, IvrsMatchesDisassembly) {
    auto ivrs = load("templates/ivrs.aml");
    const Inventory inv = scan_ok({ivrs.table});
    // One Iommu per (base, segment), described by the block of the highest type.
    struct Want {
        uint64_t base, segment, type, offset;
        std::vector<IommuScope> scopes;
    };
    std::vector<Want> want;
    std::vector<jailconf::inventory::ReservedRange> ivmd;
    for (const auto& g : groups(ivrs.dsl, "Subtable Type")) {
        const uint64_t type = hex(g.front().value);
        if (type == 0x10 || type == 0x11) {
            Want w{num(g, "Base Address"), num(g, "PCI Segment Group"), type, g.front().offset,
                   ivhd_scopes(g, static_cast<uint16_t>(num(g, "PCI Segment Group")))};
            bool merged = false;
            for (auto& e : want)
                if (e.base == w.base && e.segment == w.segment) {
                    if (w.type > e.type)
                        e = w;
                    merged = true;
                }
            if (!merged)
                want.push_back(w);
        } else if (type >= 0x20 && type <= 0x22) {
            jailconf::inventory::ReservedRange r;
            r.region = {num(g, "Start Address"), num(g, "Memory Length")};
            const uint64_t dev = num(g, "DeviceId");
            r.devices.push_back(type == 0x20   ? std::string("all")
                                : type == 0x21 ? bdf(dev)
                                               : bdf(dev) + "-" + bdf(num(g, "Auxiliary Data")));
            ivmd.push_back(r);
        }
    }
    ASSERT_EQ(inv.iommus.size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) {
        SCOPED_TRACE("iommu " + std::to_string(i));
        EXPECT_EQ(inv.iommus[i].type, "amd-vi");
        EXPECT_EQ(inv.iommus[i].region.base, want[i].base);
        EXPECT_EQ(inv.iommus[i].segment, want[i].segment);
        EXPECT_EQ(inv.iommus[i].origin.offset, want[i].offset);
        EXPECT_EQ(inv.iommus[i].scopes, want[i].scopes);
    }
    ASSERT_EQ(inv.reserved.size(), ivmd.size());
    for (size_t i = 0; i < ivmd.size(); ++i) {
        EXPECT_EQ(inv.reserved[i].kind, "ivmd");
        EXPECT_EQ(inv.reserved[i].region, ivmd[i].region);
        EXPECT_EQ(inv.reserved[i].devices, ivmd[i].devices);
    }
    EXPECT_EQ(want.size(), 2u); // the fixture describes its first IOMMU twice
}

// iasl 20200925 knows neither IVHD type 40h nor the ACPI HID entry (F0h), so these come from the
// compiled table by edits: type 40h has the 11h header layout, and must win over 11h and 10h.
TEST(ScanAcpiIommu, IvhdType40IsPreferredAndReadLike11) {
    auto ivrs = load("templates/ivrs.aml");
    const Inventory base = scan_ok({ivrs.table});
    auto blocks = groups(ivrs.dsl, "Subtable Type");
    ASSERT_GE(blocks.size(), 2u);
    ASSERT_EQ(hex(blocks[1].front().value), 0x11u);
    auto edited = ivrs.table;
    edited.bytes[blocks[1].front().offset] = 0x40;
    reseal(edited.bytes);
    const Inventory inv = scan_ok({edited});
    ASSERT_EQ(inv.iommus.size(), base.iommus.size());
    EXPECT_EQ(inv.iommus[0].scopes, base.iommus[0].scopes);
    EXPECT_NE(inv.iommus[0].path.find("0x40"), std::string::npos) << inv.iommus[0].path;
}

TEST(ScanAcpiIommu, IvhdAcpiHidEntryIsAScopeAndSkippedByItsLength) {
    auto ivrs = load("templates/ivrs.aml");
    auto blocks = groups(ivrs.dsl, "Subtable Type");
    const Fields& block = blocks[1];
    const uint64_t off = block.front().offset;
    const uint64_t len = num(block, "Length");
    // A 0xF0 entry (device 00:14.5, _HID "AMDI0020", string _UID "1") appended to block 1.
    std::string entry("\xf0\xa5\x00\x40", 4);
    entry += std::string("AMDI0020") + std::string(8, '\0') +
             std::string("\x02\x01"
                         "1",
                         3);
    std::string t = ivrs.table.bytes;
    t.insert(off + len, entry);
    put_le(t, off + 2, len + entry.size(), 2);
    put_le(t, 4, t.size(), 4);
    reseal(t);
    const Inventory inv = scan_ok({{"edited-ivrs", t}});
    ASSERT_FALSE(inv.iommus.empty());
    const auto& last = inv.iommus[0].scopes.back();
    EXPECT_EQ(last.kind, "namespace");
    EXPECT_EQ(last.path, "AMDI0020:1");
    EXPECT_EQ(last.first, 0xa5);
    EXPECT_EQ(last.settings, 0x40);
    EXPECT_EQ(inv.reserved.size(), 3u); // the blocks after it are still found
}

TEST(ScanAcpiIommu, IortMatchesDisassembly) {
    auto iort = load("templates/iort.aml");
    const Inventory inv = scan_ok({iort.table});
    struct Node {
        uint64_t offset, type;
        Fields f;
    };
    std::vector<Node> nodes;
    for (const auto& g : groups(iort.dsl, "Type"))
        nodes.push_back({g.front().offset, hex(g.front().value), g});
    auto iommu_at = [&inv](uint64_t offset) -> const Iommu* {
        for (const auto& u : inv.iommus)
            if (u.origin.offset == offset)
                return &u;
        return nullptr;
    };
    std::map<uint64_t, std::vector<jailconf::inventory::IdMapping>> maps;
    size_t smmus = 0;
    for (const auto& n : nodes) {
        if (n.type == 3 || n.type == 4) {
            ++smmus;
            const Iommu* u = iommu_at(n.offset);
            ASSERT_NE(u, nullptr) << "node at " << n.offset;
            EXPECT_EQ(u->region.base, num(n.f, "Base Address"));
            if (n.type == 3) {
                EXPECT_EQ(u->region.size, num(n.f, "Span"));
                const uint64_t model = num(n.f, "Model");
                EXPECT_EQ(u->type, model == 0 || model == 2 || model == 4 ? "smmuv1" : "smmuv2");
            } else {
                EXPECT_EQ(u->type, "smmuv3");
                std::vector<uint32_t> irqs;
                for (const char* name : {"Event GSIV", "PRI GSIV", "GERR GSIV", "Sync GSIV"})
                    if (num(n.f, name) != 0)
                        irqs.push_back(static_cast<uint32_t>(num(n.f, name)));
                ASSERT_EQ(u->irqs.size(), irqs.size());
                for (size_t i = 0; i < irqs.size(); ++i)
                    EXPECT_EQ(u->irqs[i].id, irqs[i]);
            }
        }
        if (n.type != 1 && n.type != 2)
            continue;
        const std::string source = n.type == 2
                                       ? fmt::format("pci:{}", num(n.f, "PCI Segment Number"))
                                       : str(n.f, "Device Name");
        for (const auto& m : groups(n.f, "Input base")) {
            const uint64_t ref = num(m, "Output Reference");
            const bool single = decoded(m, "Single Mapping") == 1;
            for (const auto& t : nodes)
                if (t.offset == ref && (t.type == 3 || t.type == 4))
                    maps[ref].push_back(
                        {single ? 0u : static_cast<uint32_t>(num(m, "Input base")),
                         static_cast<uint32_t>(num(m, "Output Base")),
                         single ? 1u : static_cast<uint32_t>(num(m, "ID Count") + 1), source});
        }
    }
    EXPECT_EQ(smmus, inv.iommus.size());
    EXPECT_GE(smmus, 2u);
    for (const auto& [offset, want] : maps) {
        const Iommu* u = iommu_at(offset);
        ASSERT_NE(u, nullptr);
        EXPECT_EQ(u->id_maps, want) << "SMMU at " << offset;
    }
    EXPECT_GE(maps.size(), 2u);
}

} // namespace
