// MCFG, SRAT, FADT, HPET, SPCR and GTDT parsing and the scan as a whole (table list, warnings),
// cross-checked against `iasl -d` of the same bytes.
#include <map>

#include "scan_acpi_support.hpp"

namespace {

using namespace acpi_test;
using jailconf::inventory::Inventory;
using jailconf::inventory::Trigger;

void expect_mcfg(const Inventory& inv, const Loaded& mcfg) {
    const auto allocations = groups(mcfg.dsl, "Base Address");
    ASSERT_EQ(inv.pci_hosts.size(), allocations.size());
    for (size_t i = 0; i < allocations.size(); ++i) {
        const auto& g = allocations[i];
        const auto& h = inv.pci_hosts[i];
        const uint64_t start = num(g, "Start Bus Number"), end = num(g, "End Bus Number");
        EXPECT_EQ(h.segment, num(g, "Segment Group Number"));
        EXPECT_EQ(h.bus_start, start);
        EXPECT_EQ(h.bus_end, end);
        EXPECT_EQ(h.ecam.base, num(g, "Base Address") + (start << 20));
        EXPECT_EQ(h.ecam.size, (end - start + 1) << 20);
        EXPECT_EQ(h.origin.offset, g.front().offset);
    }
}

TEST(ScanAcpiTables, RealX86VmMatchesDisassembly) {
    std::vector<Loaded> all;
    for (const char* name : {"x86-vm/APIC", "x86-vm/FACP", "x86-vm/MCFG", "x86-vm/DSDT"})
        all.push_back(load(name));
    std::vector<jailconf::scan::AcpiTableFile> files;
    for (const auto& l : all)
        files.push_back(l.table);
    const Inventory inv = scan_ok(files);
    ASSERT_EQ(inv.acpi.tables.size(), all.size());
    for (size_t i = 0; i < all.size(); ++i) {
        if (!str(all[i].dsl, "Signature").empty()) { // AML tables disassemble to ASL instead
            EXPECT_EQ(inv.acpi.tables[i].signature, str(all[i].dsl, "Signature"));
        }
        EXPECT_EQ(inv.acpi.tables[i].length, all[i].table.bytes.size());
        EXPECT_EQ(inv.acpi.tables[i].origin.file, all[i].table.file);
    }
    expect_mcfg(inv, all[2]);
    const Fields& fadt = all[1].dsl;
    EXPECT_EQ(inv.acpi.hw_reduced, decoded(fadt, "Hardware Reduced (V5)") == 1);
    EXPECT_EQ(inv.acpi.sci_irq, num(fadt, "SCI Interrupt"));
    EXPECT_EQ(inv.acpi.boot_arch_flags, num(fadt, "Boot Flags (decoded below)"));
    // Firecracker: hardware-reduced x86 without PM timer or IOMMU.
    EXPECT_FALSE(inv.acpi.pm_timer_port.has_value());
    EXPECT_TRUE(inv.acpi.hw_reduced);
    EXPECT_TRUE(has_warning(inv, "no-pm-timer"));
    EXPECT_TRUE(has_warning(inv, "no-iommu"));
    EXPECT_EQ(inv.cpus.size(), 2u);
}

TEST(ScanAcpiTables, McfgMatchesDisassembly) {
    auto mcfg = load("templates/mcfg.aml");
    const Inventory inv = scan_ok({mcfg.table});
    expect_mcfg(inv, mcfg);
    EXPECT_EQ(inv.pci_hosts.size(), 2u);
}

TEST(ScanAcpiTables, X86SratMatchesDisassembly) {
    auto madt = load("templates/x86-madt.aml");
    auto srat = load("templates/x86-srat.aml");
    // SRAT first on purpose: the scanner orders tables itself.
    const Inventory inv = scan_ok({srat.table, madt.table});
    std::vector<jailconf::inventory::NumaCpu> cpus;
    std::vector<jailconf::inventory::NumaMemory> memory;
    const bool wide = num(srat.dsl, "Revision") >= 2;
    for (const auto& g : groups(srat.dsl, "Subtable Type")) {
        if (decoded(g, "Enabled") != 1)
            continue;
        switch (hex(g.front().value)) {
        case 0:
            cpus.push_back(
                {num(g, "Apic ID"),
                 static_cast<uint32_t>(num(g, "Proximity Domain Low(8)") |
                                       (wide ? num(g, "Proximity Domain High(24)") << 8 : 0))});
            break;
        case 2:
            cpus.push_back({num(g, "Apic ID"), static_cast<uint32_t>(num(g, "Proximity Domain"))});
            break;
        case 1:
            memory.push_back({{num(g, "Base Address"), num(g, "Address Length")},
                              static_cast<uint32_t>(num(g, "Proximity Domain")),
                              decoded(g, "Hot Pluggable") == 1});
            break;
        default:
            break;
        }
    }
    EXPECT_EQ(inv.numa.cpus, cpus);
    EXPECT_EQ(inv.numa.memory, memory);
    for (const auto& c : inv.cpus)
        for (const auto& n : cpus) {
            if (n.hw_id == c.hw_id) {
                EXPECT_EQ(c.numa_node, n.domain) << "cpu " << c.id;
            }
        }
}

TEST(ScanAcpiTables, ArmSratResolvesGiccUidsThroughTheMadt) {
    auto madt = load("templates/arm-madt-gicr.aml");
    auto srat = load("templates/arm-srat.aml");
    const Inventory inv = scan_ok({madt.table, srat.table});
    std::map<uint64_t, uint64_t> uid_to_mpidr;
    for (const auto& g : groups(madt.dsl, "Subtable Type"))
        if (hex(g.front().value) == 0xb)
            uid_to_mpidr[num(g, "Processor UID")] = num(g, "ARM MPIDR") & 0xff00ffffffULL;
    std::vector<jailconf::inventory::NumaCpu> cpus;
    size_t unresolved = 0;
    for (const auto& g : groups(srat.dsl, "Subtable Type")) {
        if (hex(g.front().value) != 3 || decoded(g, "Enabled") != 1)
            continue;
        auto it = uid_to_mpidr.find(num(g, "Acpi Processor UID"));
        if (it == uid_to_mpidr.end()) {
            ++unresolved;
            continue;
        }
        cpus.push_back({it->second, static_cast<uint32_t>(num(g, "Proximity Domain"))});
    }
    EXPECT_EQ(inv.numa.cpus, cpus);
    EXPECT_EQ(unresolved, 1u);
    EXPECT_TRUE(has_warning(inv, "srat-unknown-cpu"));
}

TEST(ScanAcpiTables, X86FadtHpetSpcrMatchDisassembly) {
    auto fadt = load("templates/x86-facp.aml");
    auto hpet = load("templates/x86-hpet.aml");
    auto spcr = load("templates/x86-spcr.aml");
    auto madt = load("templates/x86-madt.aml");
    const Inventory inv = scan_ok({fadt.table, hpet.table, spcr.table, madt.table});
    EXPECT_EQ(inv.acpi.hw_reduced, decoded(fadt.dsl, "Hardware Reduced (V5)") == 1);
    EXPECT_EQ(inv.acpi.sci_irq, num(fadt.dsl, "SCI Interrupt"));
    EXPECT_EQ(inv.acpi.boot_arch_flags, num(fadt.dsl, "Boot Flags (decoded below)"));
    // The X_PM_TMR_BLK GAS (in I/O space here) is the later field and wins.
    const auto gas = groups(fadt.dsl, "PM Timer Block");
    ASSERT_EQ(gas.size(), 1u);
    ASSERT_EQ(num(gas[0], "Space ID"), 1u);
    ASSERT_TRUE(inv.acpi.pm_timer_port.has_value());
    EXPECT_EQ(*inv.acpi.pm_timer_port, num(gas[0], "Address"));
    EXPECT_FALSE(has_warning(inv, "no-pm-timer"));

    ASSERT_EQ(inv.timers.size(), 1u);
    EXPECT_EQ(inv.timers[0].type, "hpet");
    EXPECT_EQ(inv.timers[0].region.base, num(hpet.dsl, "Address"));

    ASSERT_EQ(inv.consoles.size(), 1u);
    const auto& c = inv.consoles[0];
    EXPECT_EQ(c.base, num(spcr.dsl, "Address"));
    EXPECT_EQ(c.port_io, num(spcr.dsl, "Space ID") == 1);
    EXPECT_TRUE(c.port_io);
    EXPECT_EQ(c.type, num(spcr.dsl, "Interface Type") == 0 ? "16550" : "?");
    ASSERT_TRUE(c.irq.has_value());
    EXPECT_EQ(c.irq->id, num(spcr.dsl, "Interrupt"));
    const uint64_t rate = num(spcr.dsl, "Baud Rate");
    const std::map<uint64_t, uint32_t> bauds{{3, 9600}, {4, 19200}, {6, 57600}, {7, 115200}};
    EXPECT_EQ(c.baud, bauds.at(rate));
    EXPECT_TRUE(c.chosen);
}

Trigger gtdt_trigger(const Fields& g, const std::string& flags_name, size_t nth) {
    // The decoded "Trigger Mode"/"Polarity" lines follow each flags field in order.
    size_t seen = 0;
    for (size_t i = 0; i < g.size(); ++i)
        if (g[i].name == flags_name && seen++ == nth) {
            const bool edge = std::stoull(g[i + 1].value) == 1;
            const bool low = std::stoull(g[i + 2].value) == 1;
            return edge ? (low ? Trigger::edge_falling : Trigger::edge_rising)
                        : (low ? Trigger::level_low : Trigger::level_high);
        }
    ADD_FAILURE() << flags_name;
    return Trigger::unknown;
}

TEST(ScanAcpiTables, ArmSpcrAndGtdtMatchDisassembly) {
    auto spcr = load("templates/arm-spcr.aml");
    auto gtdt = load("templates/arm-gtdt.aml");
    const Inventory inv = scan_ok({spcr.table, gtdt.table});
    ASSERT_EQ(inv.consoles.size(), 1u);
    const auto& c = inv.consoles[0];
    EXPECT_EQ(num(spcr.dsl, "Interface Type"), 3u); // the fixture is a PL011
    EXPECT_EQ(c.type, "pl011");
    EXPECT_EQ(c.base, num(spcr.dsl, "Address"));
    EXPECT_FALSE(c.port_io);
    ASSERT_TRUE(c.irq.has_value());
    EXPECT_EQ(c.irq->id, num(spcr.dsl, "Interrupt"));

    ASSERT_EQ(inv.timers.size(), 1u);
    const auto& t = inv.timers[0];
    EXPECT_EQ(t.type, "arch-timer");
    const std::vector<std::pair<const char*, const char*>> fields{
        {"Secure EL1 Interrupt", "EL1 Flags (decoded below)"},
        {"Non-Secure EL1 Interrupt", "NEL1 Flags (decoded below)"},
        {"Virtual Timer Interrupt", "VT Flags (decoded below)"},
        {"Non-Secure EL2 Interrupt", "NEL2 Flags (decoded below)"}};
    ASSERT_EQ(t.irqs.size(), fields.size());
    for (size_t i = 0; i < fields.size(); ++i) {
        EXPECT_EQ(t.irqs[i].id, num(gtdt.dsl, fields[i].first));
        EXPECT_EQ(t.irqs[i].trigger, gtdt_trigger(gtdt.dsl, fields[i].second, 0));
    }
    EXPECT_TRUE(has_warning(inv, "no-iommu"));
    EXPECT_FALSE(has_warning(inv, "no-pm-timer"));
}

TEST(ScanAcpiTables, SecondCopyOfATableIsIgnoredWithAWarning) {
    auto mcfg = load("templates/mcfg.aml");
    auto copy = mcfg.table;
    copy.file = "second-mcfg";
    const Inventory one = scan_ok({mcfg.table});
    const Inventory two = scan_ok({mcfg.table, copy});
    EXPECT_EQ(two.pci_hosts, one.pci_hosts);
    EXPECT_EQ(two.acpi.tables.size(), 2u);
    EXPECT_TRUE(has_warning(two, "duplicate-table"));
}

TEST(ScanAcpiTables, NoTablesNoFactsNoWarnings) {
    const Inventory inv = scan_ok({});
    EXPECT_EQ(inv, Inventory{});
}

} // namespace
