// `confgen scan` for ACPI: validates every table, lists it, and hands the ones it understands to
// their parser by signature (file names are ignored: `acpidump -b` writes apic.dat, sysfs APIC).
#include <fmt/format.h>

#include <array>
#include <unordered_map>

#include "scan/acpi/table.hpp"
#include "scan/scanners.hpp"

namespace jailconf::scan {

namespace {

using acpi::ParseResult;
using acpi::ScanState;
using acpi::Table;

struct Parser {
    std::string_view signature;
    ParseResult (*parse)(const Table&, ScanState&);
    bool one_per_system; // a second copy is ignored with a warning
};

// The MADT comes first: SRAT resolves Arm CPUs through it.
constexpr std::array<Parser, 10> kParsers{{
    {"APIC", acpi::parse_madt, true},
    {"FACP", acpi::parse_fadt, true},
    {"MCFG", acpi::parse_mcfg, true},
    {"DMAR", acpi::parse_dmar, true},
    {"IVRS", acpi::parse_ivrs, true},
    {"IORT", acpi::parse_iort, true},
    {"SRAT", acpi::parse_srat, true},
    {"HPET", acpi::parse_hpet, false}, // one table per timer block
    {"SPCR", acpi::parse_spcr, true},
    {"GTDT", acpi::parse_gtdt, true},
}};

void add_warnings(ScanState& s) {
    auto& inv = s.inv;
    if (inv.iommus.empty())
        inv.warnings.push_back(inventory::Warning{
            "no-iommu", "no DMAR, IVRS or IORT SMMU among the ACPI tables: DMA from devices "
                        "given to a cell cannot be confined"});
    // x86 when the MADT uses APICs, or, without a MADT, when the FADT does not say Arm.
    const bool x86 =
        s.saw_x86_interrupt_model || (!s.saw_gic && s.saw_fadt && s.arm_boot_arch == 0);
    if (x86 && s.saw_fadt && !inv.acpi.pm_timer_port)
        inv.warnings.push_back(inventory::Warning{
            "no-pm-timer",
            inv.acpi.hw_reduced
                ? "x86 firmware uses hardware-reduced ACPI: there is no ACPI PM timer to "
                  "calibrate against (a TSC or HPET must do)"
                : "the FADT gives no I/O-port ACPI PM timer"});
}

void attach_numa_nodes(inventory::Inventory& inv) {
    std::unordered_map<uint64_t, uint32_t> domain; // the first SRAT entry of a CPU counts
    for (const auto& n : inv.numa.cpus)
        domain.emplace(n.hw_id, n.domain);
    for (auto& cpu : inv.cpus)
        if (auto it = domain.find(cpu.hw_id); it != domain.end())
            cpu.numa_node = it->second;
}

} // namespace

Expected<Inventory, ScanError> scan_acpi_tables(const std::vector<AcpiTableFile>& tables) {
    ScanState s;
    std::vector<Table> valid;
    valid.reserve(tables.size());
    for (const auto& f : tables) {
        auto header = acpi::validate_table(f.bytes, f.file);
        if (!header)
            return Unexpected(header.error());
        inventory::AcpiTable listed;
        listed.signature = header->signature;
        listed.length = header->length;
        listed.revision = header->revision;
        listed.oem_id = header->oem_id;
        listed.oem_table_id = header->oem_table_id;
        listed.origin = inventory::Origin{f.file, 0, {}};
        s.inv.acpi.tables.push_back(std::move(listed));
        valid.push_back(Table{f.file, f.bytes, std::move(*header)});
    }
    for (const auto& p : kParsers) {
        const Table* first = nullptr;
        for (const auto& t : valid) {
            if (t.header.signature != p.signature)
                continue;
            if (first != nullptr && p.one_per_system) {
                s.inv.warnings.push_back(inventory::Warning{
                    "duplicate-table",
                    fmt::format("{}: a second {} table (the first is {}); only the first is read",
                                t.file, p.signature, first->file)});
                continue;
            }
            if (first == nullptr)
                first = &t;
            if (auto r = p.parse(t, s); !r)
                return Unexpected(r.error());
        }
    }
    attach_numa_nodes(s.inv);
    if (!tables.empty())
        add_warnings(s);
    return std::move(s.inv);
}

} // namespace jailconf::scan
