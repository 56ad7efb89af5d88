// The fact tables and their fields: the vocabulary of kb/rules/. docs/kb-facts.md is generated
// from this list (`confgen rules --facts`).
#include <algorithm>
#include <array>

#include "kb/facts.hpp"

namespace jailconf::kb {
namespace {

using enum FieldType;

constexpr std::array machine_fields = {
    FieldInfo{"arch", string, "arm64, x86_64 or arm32, from the configuration"},
    FieldInfo{"model", string, "DT /model or DMI vendor and product (inventory)"},
    FieldInfo{"compatible", str_list, "DT root compatible strings (inventory)"},
    FieldInfo{"hypervisor", string, "set when the scanned machine is itself a VM (inventory)"},
    FieldInfo{"quirks", str_list, "board quirks from kb/boards/"},
    FieldInfo{"irq_remapping", boolean,
              "MSIs pass through an interrupt translator (GICv3 ITS, VT-d / AMD-Vi) (inventory)"},
};
constexpr std::array hv_fields = {
    FieldInfo{"memory_phys", integer, "start of the hypervisor's memory"},
    FieldInfo{"memory_end", integer, "end (exclusive) of the hypervisor's memory"},
    FieldInfo{"console_base", integer, "base of the hypervisor's console device"},
    FieldInfo{"console_end", integer, "end (exclusive) of the console's register page"},
    FieldInfo{"tick_ms", integer, "period of the hypervisor's timer tick in ms"},
};
constexpr std::array cell_fields = {
    FieldInfo{"name", string, "cell name"},
    FieldInfo{"root", boolean, "the root cell"},
    FieldInfo{"cpu_count", integer, "number of CPUs"},
    FieldInfo{"watchdog_ms", integer, "watchdog timeout; absent without a watchdog"},
    FieldInfo{"console_base", integer, "base of the cell's console; absent without one"},
    FieldInfo{"executable_ram", integer, "number of RAM regions with the execute flag"},
    FieldInfo{"loadable", integer, "number of regions with the loadable flag"},
    FieldInfo{"links", integer, "number of links the cell is a peer of"},
};
constexpr std::array cpu_fields = {
    FieldInfo{"id", integer, "logical CPU number"},
    FieldInfo{"cell", string, "owning cell"},
    FieldInfo{"cell_root", boolean, "the owning cell is the root cell"},
    FieldInfo{"hw_id", integer, "MPIDR affinity (arm) or APIC id (x86) from platform.cpus"},
    FieldInfo{"cluster", integer, "MPIDR Aff1 (arm): CPUs of one cluster share a cache"},
    FieldInfo{"numa_node", integer, "NUMA node (inventory)"},
    FieldInfo{"enable_method", string, "psci or spin-table (inventory)"},
};
constexpr std::array region_fields = {
    FieldInfo{"cell", string, "owning cell"},
    FieldInfo{"cell_root", boolean, "the owning cell is the root cell"},
    FieldInfo{"name", string, "region name, \"\" when unnamed"},
    FieldInfo{"phys", integer, "physical start"},
    FieldInfo{"end", integer, "physical end (exclusive)"},
    FieldInfo{"virt", integer, "guest-physical start"},
    FieldInfo{"size", integer, "size in bytes"},
    FieldInfo{"flags", str_list, "flag names"},
    FieldInfo{"ram", boolean, "read/write and not io: memory rather than device registers"},
    FieldInfo{"io", boolean, "the io flag"},
    FieldInfo{"dma", boolean, "the dma flag"},
    FieldInfo{"execute", boolean, "the execute flag"},
    FieldInfo{"shared", boolean, "shared or rootshared flag"},
    FieldInfo{"numa_node", integer, "NUMA node of the RAM range holding it (inventory)"},
};
constexpr std::array irq_fields = {
    FieldInfo{"cell", string, "cell the interrupt is given to"},
    FieldInfo{"cell_root", boolean, "the cell is the root cell"},
    FieldInfo{"intid", integer, "GIC INTID or x86 GSI"},
    FieldInfo{"devices", str_list, "inventory devices raising it (DT paths, BDFs)"},
    FieldInfo{"device_cells", str_list, "cells owning those devices"},
    FieldInfo{"doorbell_of", str_list, "links using it as doorbell"},
};
constexpr std::array pci_fields = {
    FieldInfo{"cell", string, "owning cell"},
    FieldInfo{"cell_root", boolean, "the owning cell is the root cell"},
    FieldInfo{"bdf", string, "segment:bus:device.function"},
    FieldInfo{"bridge", boolean, "a PCI bridge"},
    FieldInfo{"msi", boolean, "has MSI"},
    FieldInfo{"msix", boolean, "has MSI-X"},
    FieldInfo{"msix_page", integer, "first page of the MSI-X table (physical)"},
    FieldInfo{"msix_page_end", integer, "end of the MSI-X table's last page"},
    FieldInfo{"pci_id", string, "vendor:device, 4 hex digits each (inventory)"},
    FieldInfo{"class", integer, "class code base << 16 | sub << 8 | prog-if (inventory)"},
    FieldInfo{"name", string, "pci.ids name (inventory)"},
    FieldInfo{"intx_pin", integer, "1 = INTA .. 4 = INTD, 0 none (inventory)"},
    FieldInfo{"intx_irq", integer, "the INTID / GSI the pin is routed to (inventory)"},
    FieldInfo{"iommu_group", integer, "Linux IOMMU group (inventory)"},
    FieldInfo{"isolation_group", string,
              "functions that can reach each other without the IOMMU: the IOMMU group, or the "
              "nearest bridge without ACS (inventory)"},
    FieldInfo{"acs", boolean, "the function or a bridge above it has ACS (inventory)"},
    FieldInfo{"dma_capable", boolean,
              "can master DMA: not a bridge, not a host bridge (inventory)"},
    FieldInfo{"iommu_covered", boolean, "an IOMMU translates its DMA (inventory)"},
    FieldInfo{"ats", boolean, "below a root port that allows ATS (DMAR ATSR) (inventory)"},
    FieldInfo{"quirks", str_list, "quirks from kb/devices/ (inventory)"},
};
constexpr std::array bar_fields = {
    FieldInfo{"cell", string, "owning cell"},
    FieldInfo{"bdf", string, "function"},
    FieldInfo{"index", integer, "BAR number"},
    FieldInfo{"addr", integer, "physical address (or I/O port)"},
    FieldInfo{"end", integer, "end (exclusive)"},
    FieldInfo{"size", integer, "size in bytes"},
    FieldInfo{"io", boolean, "an I/O-port BAR"},
    FieldInfo{"page", integer, "first page the BAR touches"},
    FieldInfo{"page_end", integer, "end of the last page the BAR touches"},
    FieldInfo{"msix_table", boolean, "holds the function's MSI-X table"},
};
constexpr std::array device_fields = {
    FieldInfo{"path", string, "DT path or ACPI name"},
    FieldInfo{"compatible", str_list, "compatible strings"},
    FieldInfo{"status", string, "DT status"},
    FieldInfo{"cell", string, "the cell mapping its first register range, \"\" for none"},
    FieldInfo{"cell_root", boolean, "that cell is the root cell"},
    FieldInfo{"cells", str_list, "every cell mapping any of its registers"},
    FieldInfo{"reg_count", integer, "number of register ranges"},
    FieldInfo{"regs_in_cell", integer, "register ranges `cell` maps completely"},
    FieldInfo{"irqs", int_list, "INTIDs / GSIs"},
    FieldInfo{"stream_ids", int_list, "IOMMU stream ids"},
    FieldInfo{"iommu", string, "the IOMMU serving them"},
    FieldInfo{"dma_capable", boolean, "has stream ids, or a dma quirk"},
    FieldInfo{"quirks", str_list, "quirks from kb/devices/"},
};
constexpr std::array device_reg_fields = {
    FieldInfo{"path", string, "device"},
    FieldInfo{"cell", string, "cell mapping the range, \"\" for none"},
    FieldInfo{"cell_root", boolean, "that cell is the root cell"},
    FieldInfo{"irq_count", integer, "number of interrupts the device raises"},
    FieldInfo{"irqs_in_cell", integer, "how many of them `cell` has in its irqs"},
    FieldInfo{"base", integer, "physical start"},
    FieldInfo{"end", integer, "physical end (exclusive)"},
    FieldInfo{"page", integer, "first page"},
    FieldInfo{"page_end", integer, "end of the last page"},
};
constexpr std::array device_irq_fields = {
    FieldInfo{"path", string, "device"},
    FieldInfo{"cell", string, "cell owning the device"},
    FieldInfo{"intid", integer, "INTID / GSI"},
    FieldInfo{"spi", integer, "SPI number (intid - 32) for an SPI"},
    FieldInfo{"granted", boolean, "the cell has the interrupt in its irqs"},
    FieldInfo{"granted_spi_number", boolean,
              "the cell has intid - 32 instead: the SPI number was written where the INTID "
              "belongs"},
    FieldInfo{"holder", string, "another cell that has the interrupt, \"\" for none"},
};
constexpr std::array dependency_fields = {
    FieldInfo{"consumer", string, "device that needs the provider"},
    FieldInfo{"consumer_cell", string, "its cell"},
    FieldInfo{"kind", string, "clock, power-domain or reset"},
    FieldInfo{"provider", string, "the clock / power / reset controller"},
    FieldInfo{"provider_cell", string, "its cell, \"\" when no cell maps it"},
};
constexpr std::array reserved_fields = {
    FieldInfo{"name", string, "name"},
    FieldInfo{"kind", string, "reserved-memory, memreserve, rmrr, ivmd or iomem"},
    FieldInfo{"base", integer, "physical start"},
    FieldInfo{"end", integer, "physical end (exclusive)"},
    FieldInfo{"no_map", boolean, "DT no-map: not even the kernel may map it"},
    FieldInfo{"devices", str_list, "devices using it"},
};
constexpr std::array device_reserved_fields = {
    FieldInfo{"device", string, "device using the range (BDF or DT path)"},
    FieldInfo{"cell", string, "cell owning the device"},
    FieldInfo{"kind", string, "rmrr, ivmd, reserved-memory"},
    FieldInfo{"base", integer, "physical start"},
    FieldInfo{"end", integer, "physical end (exclusive)"},
    FieldInfo{"mapped", boolean, "the cell maps the whole range"},
};
constexpr std::array gicr_fields = {
    FieldInfo{"cpu", integer, "CPU the redistributor serves"},
    FieldInfo{"cell", string, "cell owning that CPU"},
    FieldInfo{"base", integer, "physical start of its frames"},
    FieldInfo{"end", integer, "end (exclusive)"},
};
constexpr std::array platform_block_fields = {
    FieldInfo{"kind", string,
              "gic-distributor, gic-redistributor, gic-its, gic-cpu-interface (GICv2 GICC), "
              "gic-hyp-interface (GICH), iommu, pci-ecam"},
    FieldInfo{"base", integer, "physical start"},
    FieldInfo{"end", integer, "end (exclusive)"},
};
constexpr std::array stream_id_fields = {
    FieldInfo{"cell", string, "cell given the stream id"},
    FieldInfo{"id", integer, "stream id"},
    FieldInfo{"devices", str_list, "inventory devices emitting it"},
    FieldInfo{"device_cells", str_list, "cells owning those devices"},
};
constexpr std::array link_fields = {
    FieldInfo{"name", string, "link name"},
    FieldInfo{"peers", str_list, "peer cells"},
    FieldInfo{"phys", integer, "physical start"},
    FieldInfo{"end", integer, "end (exclusive)"},
    FieldInfo{"size", integer, "size"},
    FieldInfo{"doorbell_irq", integer, "doorbell INTID; absent without one"},
    FieldInfo{"doorbell_devices", str_list, "inventory devices raising the doorbell INTID"},
    FieldInfo{"doorbell_cells", str_list, "cells that have the doorbell INTID in their irqs"},
};
constexpr std::array guest_irq_fields = {
    FieldInfo{"cell", string, "cell the guest device tree is for"},
    FieldInfo{"file", string, "the guest device tree"},
    FieldInfo{"node", string, "node declaring the interrupt"},
    FieldInfo{"intid", integer, "INTID the guest will program"},
    FieldInfo{"granted", boolean, "the cell has it in its irqs"},
    FieldInfo{"granted_nearby", integer,
              "intid + 32 or intid - 32 when the cell has that instead (the SPI-number vs INTID "
              "mistake), absent otherwise"},
};

constexpr std::array tables = {
    TableInfo{"machine", "the machine (one record)", false, machine_fields},
    TableInfo{"hv", "the hypervisor (one record)", false, hv_fields},
    TableInfo{"cell", "one record per cell", false, cell_fields},
    TableInfo{"cpu", "one record per CPU of a cell", false, cpu_fields},
    TableInfo{"region", "one record per memory region of a cell", false, region_fields},
    TableInfo{"irq", "one record per interrupt of a cell", false, irq_fields},
    TableInfo{"pci", "one record per PCI function of a cell", false, pci_fields},
    TableInfo{"bar", "one record per BAR of a cell's PCI function", false, bar_fields},
    TableInfo{"device", "one record per platform device of the inventory", true, device_fields},
    TableInfo{"device_reg", "one record per register range of a device", true, device_reg_fields},
    TableInfo{"device_irq", "one record per interrupt of a device mapped by a cell", true,
              device_irq_fields},
    TableInfo{"dependency", "one record per clock / power / reset a device needs", true,
              dependency_fields},
    TableInfo{"reserved", "one record per reserved range of the inventory", true, reserved_fields},
    TableInfo{"device_reserved",
              "one record per reserved range (RMRR, IVMD, memory-region) a cell's device uses",
              true, device_reserved_fields},
    TableInfo{"gicr", "one record per CPU's GICv3 redistributor", false, gicr_fields},
    TableInfo{"platform_block", "registers only the hypervisor may touch", false,
              platform_block_fields},
    TableInfo{"stream_id", "one record per stream id of a cell", false, stream_id_fields},
    TableInfo{"link", "one record per link", false, link_fields},
    TableInfo{"guest_irq", "one record per interrupt in a guest device tree (--guest-dt)", false,
              guest_irq_fields},
};

} // namespace

std::string_view to_string(FieldType t) {
    switch (t) {
    case integer:
        return "integer";
    case string:
        return "string";
    case boolean:
        return "boolean";
    case int_list:
        return "list of integers";
    case str_list:
        return "list of strings";
    }
    return "?";
}

int TableInfo::field_index(std::string_view field) const {
    for (size_t i = 0; i < fields.size(); ++i)
        if (fields[i].name == field)
            return int(i);
    return -1;
}

std::span<const TableInfo> fact_tables() {
    return tables;
}

const TableInfo* find_table(std::string_view name) {
    auto it = std::find_if(tables.begin(), tables.end(),
                           [name](const TableInfo& t) { return t.name == name; });
    return it == tables.end() ? nullptr : &*it;
}

Record& Table::add(SourceLocation loc, std::string cell) {
    Record& r = records.emplace_back();
    r.values.resize(info->fields.size());
    r.loc = std::move(loc);
    r.cell = std::move(cell);
    return r;
}

void Table::set(Record& r, std::string_view field, Value v) const {
    int i = info->field_index(field);
    if (i < 0)
        std::abort(); // a misspelt field in the facts builder: a defect, caught by every test
    r.values[size_t(i)] = std::move(v);
}

} // namespace jailconf::kb
