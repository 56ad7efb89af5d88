// MADT parsing, cross-checked against `iasl -d` of the same bytes: the real tables of this
// project's x86 VM and compiled iasl sources for a larger x86 server and two Arm GIC layouts.
#include "scan_acpi_support.hpp"

namespace {

using namespace acpi_test;
using jailconf::inventory::Inventory;
using jailconf::inventory::Trigger;

// The logical numbering rule of docs/scan-acpi.md, restated from the disassembly: usable
// (enabled or online-capable) entries in table order, then the rest.
struct ExpectedCpu {
    uint64_t hw_id;
    bool enabled;
    bool usable;
    uint64_t offset;
};

std::vector<ExpectedCpu> expected_x86_cpus(const Fields& dsl) {
    std::vector<ExpectedCpu> all;
    auto seen = [&all](uint64_t id) {
        for (const auto& c : all)
            if (c.hw_id == id)
                return true;
        return false;
    };
    for (const auto& g : groups(dsl, "Subtable Type")) {
        const uint64_t type = hex(g.front().value);
        if (type != 0 && type != 9)
            continue;
        const uint64_t id = type == 0 ? num(g, "Local Apic ID") : num(g, "Processor x2Apic ID");
        if ((type == 0 && id == 0xff) || (type == 9 && seen(id)))
            continue;
        const bool enabled = decoded(g, "Processor Enabled") == 1;
        const Field* online = find(g, "Runtime Online Capable");
        const bool capable = online != nullptr && std::stoull(online->value) == 1;
        all.push_back({id, enabled, enabled || capable, g.front().offset});
    }
    std::vector<ExpectedCpu> ordered;
    for (const auto& c : all)
        if (c.usable)
            ordered.push_back(c);
    for (const auto& c : all)
        if (!c.usable)
            ordered.push_back(c);
    return ordered;
}

void expect_cpus(const Inventory& inv, const std::vector<ExpectedCpu>& want,
                 const std::string& file) {
    ASSERT_EQ(inv.cpus.size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) {
        SCOPED_TRACE("cpu " + std::to_string(i));
        EXPECT_EQ(inv.cpus[i].id, i);
        EXPECT_EQ(inv.cpus[i].hw_id, want[i].hw_id);
        EXPECT_EQ(inv.cpus[i].enabled, want[i].enabled);
        EXPECT_EQ(inv.cpus[i].origin.file, file);
        EXPECT_EQ(inv.cpus[i].origin.offset, want[i].offset);
    }
}

Trigger iso_trigger(uint64_t polarity, uint64_t mode) {
    const bool low = polarity == 3; // 0 conforms to ISA: active high
    const bool level = mode == 3;   // 0 conforms to ISA: edge
    if (level)
        return low ? Trigger::level_low : Trigger::level_high;
    return low ? Trigger::edge_falling : Trigger::edge_rising;
}

void expect_apic(const Inventory& inv, const Fields& dsl) {
    ASSERT_TRUE(inv.apic.has_value());
    uint64_t lapic = num(dsl, "Local Apic Address");
    size_t io = 0, iso = 0;
    for (const auto& g : groups(dsl, "Subtable Type")) {
        switch (hex(g.front().value)) {
        case 1: {
            ASSERT_LT(io, inv.apic->ioapics.size());
            const auto& a = inv.apic->ioapics[io++];
            EXPECT_EQ(a.id, num(g, "I/O Apic ID"));
            EXPECT_EQ(a.base, num(g, "Address"));
            EXPECT_EQ(a.gsi_base, num(g, "Interrupt"));
            EXPECT_EQ(a.origin.offset, g.front().offset);
            break;
        }
        case 2: {
            ASSERT_LT(iso, inv.apic->overrides.size());
            const auto& o = inv.apic->overrides[iso++];
            EXPECT_EQ(o.bus, num(g, "Bus"));
            EXPECT_EQ(o.source, num(g, "Source"));
            EXPECT_EQ(o.gsi, num(g, "Interrupt"));
            EXPECT_EQ(o.trigger, iso_trigger(decoded(g, "Polarity"), decoded(g, "Trigger Mode")))
                << "source " << int(o.source);
            break;
        }
        case 5:
            lapic = num(g, "APIC Address");
            break;
        default:
            break;
        }
    }
    EXPECT_EQ(io, inv.apic->ioapics.size());
    EXPECT_EQ(iso, inv.apic->overrides.size());
    EXPECT_EQ(inv.apic->local_apic_base, lapic);
    EXPECT_EQ(inv.apic->pcat_compat, decoded(dsl, "PC-AT Compatibility") == 1);
}

TEST(ScanAcpiMadt, RealX86VmMatchesDisassembly) {
    auto madt = load("x86-vm/APIC");
    const Inventory inv = scan_ok({madt.table});
    expect_cpus(inv, expected_x86_cpus(madt.dsl), madt.table.file);
    expect_apic(inv, madt.dsl);
    EXPECT_FALSE(inv.gic.has_value());
    ASSERT_EQ(inv.acpi.tables.size(), 1u);
    EXPECT_EQ(inv.acpi.tables[0].signature, str(madt.dsl, "Signature"));
    EXPECT_EQ(inv.acpi.tables[0].length, num(madt.dsl, "Table Length"));
    EXPECT_EQ(inv.acpi.tables[0].revision, num(madt.dsl, "Revision"));
    EXPECT_EQ(inv.acpi.tables[0].oem_id, str(madt.dsl, "Oem ID"));
    EXPECT_EQ(inv.acpi.tables[0].oem_table_id, str(madt.dsl, "Oem Table ID"));
}

TEST(ScanAcpiMadt, X86ServerMatchesDisassembly) {
    auto madt = load("templates/x86-madt.aml");
    const Inventory inv = scan_ok({madt.table});
    const auto want = expected_x86_cpus(madt.dsl);
    expect_cpus(inv, want, madt.table.file);
    expect_apic(inv, madt.dsl);
    // The fixture must exercise what the rule is about.
    size_t disabled = 0;
    for (const auto& c : want)
        disabled += c.enabled ? 0 : 1;
    EXPECT_GE(disabled, 2u);
    EXPECT_TRUE(has_warning(inv, "no-iommu"));
}

constexpr uint64_t kAffinity = 0xff00ffffffULL;

void expect_gic(const Inventory& inv, const Fields& dsl) {
    ASSERT_TRUE(inv.gic.has_value());
    const auto& gic = *inv.gic;
    std::vector<ExpectedCpu> usable, unusable;
    std::vector<uint64_t> gicc_redist;
    size_t gicr = 0, its = 0;
    uint64_t version = 0;
    bool first_gicc = true;
    for (const auto& g : groups(dsl, "Subtable Type")) {
        switch (hex(g.front().value)) {
        case 0xb: {
            const bool enabled = decoded(g, "Processor Enabled") == 1;
            ExpectedCpu c{num(g, "ARM MPIDR") & kAffinity, enabled, enabled, g.front().offset};
            (enabled ? usable : unusable).push_back(c);
            if (enabled && num(g, "Redistributor Base Address") != 0)
                gicc_redist.push_back(num(g, "Redistributor Base Address"));
            if (first_gicc) {
                first_gicc = false;
                EXPECT_EQ(gic.vcpu_interface.base, num(g, "Virtual GIC Base Address"));
                EXPECT_EQ(gic.hyp_interface.base, num(g, "Hypervisor GIC Base Address"));
                EXPECT_EQ(gic.maintenance_irq, num(g, "Virtual GIC Interrupt"));
            }
            break;
        }
        case 0xc:
            EXPECT_EQ(gic.distributor.base, num(g, "Base Address"));
            version = num(g, "Version");
            EXPECT_EQ(gic.origin.offset, g.front().offset);
            break;
        case 0xe:
            ASSERT_LT(gicr, gic.redistributors.size());
            EXPECT_EQ(gic.redistributors[gicr].base, num(g, "Base Address"));
            // "Length" names both the subtable length and the range length: the range is last.
            EXPECT_EQ(gic.redistributors[gicr].size, hex(g.back().value));
            EXPECT_EQ(g.back().name, "Length");
            ++gicr;
            break;
        case 0xf:
            ASSERT_LT(its, gic.its.size());
            EXPECT_EQ(gic.its[its].id, num(g, "Translation ID"));
            EXPECT_EQ(gic.its[its].region.base, num(g, "Base Address"));
            ++its;
            break;
        default:
            break;
        }
    }
    for (const auto& c : unusable)
        usable.push_back(c);
    expect_cpus(inv, usable, inv.cpus.empty() ? "" : inv.cpus[0].origin.file);
    EXPECT_EQ(its, gic.its.size());
    if (gicr == 0) { // redistributors from the GICC entries, one frame pair each
        ASSERT_EQ(gic.redistributors.size(), gicc_redist.size());
        for (size_t i = 0; i < gicc_redist.size(); ++i) {
            EXPECT_EQ(gic.redistributors[i].base, gicc_redist[i]);
            EXPECT_EQ(gic.redistributors[i].size, 0x20000u);
        }
    } else {
        EXPECT_EQ(gicr, gic.redistributors.size());
    }
    const std::string want_type = version == 4                          ? "gicv4"
                                  : version == 3                        ? "gicv3"
                                  : version == 1 || version == 2        ? "gicv2"
                                  : (gicr != 0 || !gicc_redist.empty()) ? "gicv3"
                                                                        : "gicv2";
    EXPECT_EQ(gic.type, want_type);
    EXPECT_FALSE(inv.apic.has_value());
}

TEST(ScanAcpiMadt, ArmGicWithRedistributorRangesMatchesDisassembly) {
    auto madt = load("templates/arm-madt-gicr.aml");
    const Inventory inv = scan_ok({madt.table});
    expect_gic(inv, madt.dsl);
    EXPECT_FALSE(inv.gic->redistributors.empty());
    EXPECT_EQ(inv.gic->its.size(), 2u);
}

TEST(ScanAcpiMadt, ArmGicRedistributorsFromGiccMatchDisassembly) {
    auto madt = load("templates/arm-madt-gicc.aml");
    const Inventory inv = scan_ok({madt.table});
    expect_gic(inv, madt.dsl);
    EXPECT_EQ(num(groups(madt.dsl, "Subtable Type").back(), "Version"), 0u); // inferred, not read
}

} // namespace
