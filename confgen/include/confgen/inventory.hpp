// The hardware inventory: what `confgen scan` found on a machine, as typed facts. Every fact keeps
// its origin (the file and byte offset, or the device-tree node, it was read from) so that a
// generated configuration can be explained and a wrong fact traced back to its source.
//
// Addresses are CPU physical addresses (device-tree `reg` values are already translated through
// the parents' `ranges`); interrupts are GIC INTIDs on Arm (SPI n is INTID n + 32) and global
// system interrupts (GSIs) on x86.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace jailconf::inventory {

// Where a fact was read from: `file` is the logical path on the scanned machine
// ("/sys/firmware/acpi/tables/APIC") or the input file given on the command line; `offset` a byte
// offset in it; `node` a device-tree node path. Written as "file+0x2c" or "file:/soc/uart@9000000".
struct Origin {
    std::string file;
    std::optional<uint64_t> offset;
    std::string node;

    std::string str() const;
    bool operator==(const Origin&) const = default;
};

struct Region {
    uint64_t base = 0;
    uint64_t size = 0;
    bool operator==(const Region&) const = default;
};

enum class Trigger : uint8_t { unknown, edge_rising, edge_falling, level_high, level_low };

struct Interrupt {
    uint32_t id = 0; // GIC INTID (arm) or GSI (x86)
    Trigger trigger = Trigger::unknown;
    bool operator==(const Interrupt&) const = default;
};

struct MachineInfo {
    std::string arch;                    // arm64 | x86_64 | arm32, "" when no source says
    std::string model;                   // DT /model, or DMI vendor + product name
    std::vector<std::string> compatible; // DT root `compatible`
    std::string kernel_release;          // /proc/sys/kernel/osrelease
    std::string kernel_cmdline;          // /proc/cmdline
    std::string hypervisor;              // set when the machine is a VM ("kvm", "qemu", ...)
    bool operator==(const MachineInfo&) const = default;
};

struct Cpu {
    uint32_t id = 0;            // logical number, as Linux and the config count them
    uint64_t hw_id = 0;         // MPIDR affinity bits (arm) or APIC id (x86)
    std::string enable_method;  // psci | spin-table | "" (x86, ACPI)
    bool enabled = true;        // false: firmware lists it but marks it unusable
    std::optional<bool> online; // from /sys/devices/system/cpu/cpuN/online, live scans only
    std::optional<uint32_t> numa_node;
    Origin origin;
    bool operator==(const Cpu&) const = default;
};

struct Psci {
    std::string method;  // smc | hvc
    std::string version; // e.g. "1.0", from the compatible string, "" when unknown
    Origin origin;
    bool operator==(const Psci&) const = default;
};

// Usable RAM.
struct MemoryRange {
    Region region;
    std::optional<uint32_t> numa_node;
    Origin origin;
    bool operator==(const MemoryRange&) const = default;
};

// A range that must not be handed out as ordinary RAM: DT reserved-memory and /memreserve/,
// ACPI RMRR and IVMD ranges, firmware ranges from /proc/iomem.
struct ReservedRange {
    Region region;
    std::string name;
    std::string kind;                 // reserved-memory | memreserve | rmrr | ivmd | iomem
    bool no_map = false;              // DT `no-map`: not even the kernel maps it
    std::vector<std::string> devices; // who uses it: BDFs (RMRR, IVMD) or DT paths (memory-region)
    Origin origin;
    bool operator==(const ReservedRange&) const = default;
};

struct Its {
    Region region;
    uint32_t id = 0;
    Origin origin;
    bool operator==(const Its&) const = default;
};

struct Gic {
    std::string type; // gicv2 | gicv3 | gicv4
    Region distributor;
    std::vector<Region> redistributors; // GICv3 redistributor regions
    uint64_t redistributor_stride = 0;  // 0: the architectural 0x20000 (or 0x40000 for v4)
    Region cpu_interface;               // GICv2 GICC, or GICv3 legacy GICC when present
    Region hyp_interface;               // GICH
    Region vcpu_interface;              // GICV
    uint32_t maintenance_irq = 0;       // INTID, 0 when not given
    std::vector<Its> its;
    Origin origin;
    bool operator==(const Gic&) const = default;
};

struct IoApic {
    uint32_t id = 0;
    uint64_t base = 0;
    uint32_t gsi_base = 0;
    Origin origin;
    bool operator==(const IoApic&) const = default;
};

// MADT Interrupt Source Override: ISA irq `source` arrives on `gsi`.
struct IrqOverride {
    uint8_t bus = 0;
    uint8_t source = 0;
    uint32_t gsi = 0;
    Trigger trigger = Trigger::unknown;
    Origin origin;
    bool operator==(const IrqOverride&) const = default;
};

struct Apic {
    uint64_t local_apic_base = 0;
    std::vector<IoApic> ioapics;
    std::vector<IrqOverride> overrides;
    bool pcat_compat = false; // dual 8259s present
    bool operator==(const Apic&) const = default;
};

// Architected timer, HPET, ... `type`: arch-timer | hpet | other compatible string.
struct Timer {
    std::string type;
    Region region; // size 0 for the architected timer
    std::vector<Interrupt> irqs;
    Origin origin;
    bool operator==(const Timer&) const = default;
};

// A console candidate: DT /chosen stdout-path, ACPI SPCR, or a DT serial node.
struct Console {
    std::string type; // pl011 | 8250 | 16550 | ... (compatible or SPCR interface type)
    uint64_t base = 0;
    bool port_io = false; // base is an x86 I/O port
    std::optional<Interrupt> irq;
    uint32_t baud = 0;   // 0: unknown
    std::string path;    // DT path of the serial node, "" for SPCR
    bool chosen = false; // the firmware's / kernel's selected console
    Origin origin;
    bool operator==(const Console&) const = default;
};

struct PciWindow {
    std::string type; // io | mem | mem64 | prefetch
    uint64_t cpu_addr = 0;
    uint64_t pci_addr = 0;
    uint64_t size = 0;
    bool operator==(const PciWindow&) const = default;
};

// One legacy INTx route of a host bridge's interrupt-map: device (slot), pin 1-4 -> interrupt.
struct PciIntxRoute {
    uint8_t bus = 0;
    uint8_t device = 0;
    uint8_t function = 0;
    uint8_t pin = 0; // 1 = INTA
    Interrupt irq;
    bool operator==(const PciIntxRoute&) const = default;
};

struct PciHost {
    uint16_t segment = 0;
    uint8_t bus_start = 0;
    uint8_t bus_end = 255;
    Region ecam; // ECAM of bus_start (MCFG base + bus_start << 20, or the DT reg as written);
                 // size covers bus_start..bus_end
    std::vector<PciWindow> windows;
    std::vector<PciIntxRoute> intx_routes;
    std::string path; // DT path, "" for MCFG
    Origin origin;
    bool operator==(const PciHost&) const = default;
};

// A mapping of input ids (PCI requester ids, or a device's own ids) to IOMMU stream/device ids:
// DT iommu-map / msi-map, IORT ID mappings.
struct IdMapping {
    uint32_t input_base = 0;
    uint32_t output_base = 0;
    uint32_t count = 0;
    std::string source; // who the input ids belong to: a DT path, "pci:<segment>", an IORT node
    bool operator==(const IdMapping&) const = default;
};

// A device scope of a DMAR unit or IVHD entry, in requester-id form where possible.
struct IommuScope {
    std::string kind; // endpoint | bridge | ioapic | hpet | namespace | all | range | alias
    uint16_t segment = 0;
    uint16_t first = 0;   // requester id (bus << 8 | devfn), first of the range
    uint16_t last = 0;    // last of the range (== first for one device)
    std::string path;     // DMAR: "bb:dd.f/dd.f/..." start bus and path as written
    uint32_t handle = 0;  // IOAPIC / HPET id for special scopes
    uint16_t alias = 0;   // IVHD alias entries: the requester id used instead
    uint8_t settings = 0; // IVHD DTE settings byte
    bool operator==(const IommuScope&) const = default;
};

struct Iommu {
    std::string type; // smmuv1 | smmuv2 | smmuv3 | vtd | amd-vi
    Region region;
    uint16_t segment = 0;
    std::vector<Interrupt> irqs;
    std::vector<IommuScope> scopes; // VT-d and AMD-Vi
    std::vector<IdMapping> id_maps; // IORT / iommu-map: which ids reach this IOMMU
    std::string path;               // DT path or ACPI node description
    Origin origin;
    bool operator==(const Iommu&) const = default;
};

// A platform (non-PCI) device: any DT node with `reg` or `interrupts`, or an ACPI-described one.
struct Device {
    std::string path; // DT path, or an ACPI name
    std::vector<std::string> compatible;
    std::string status = "okay"; // DT status: okay | disabled | reserved | fail
    std::vector<Region> regs;    // translated to CPU physical addresses
    std::vector<Interrupt> irqs; // translated to GIC INTIDs / GSIs
    std::vector<uint32_t> stream_ids;
    std::string iommu;                      // DT path of the IOMMU serving `stream_ids`
    std::vector<std::string> clocks;        // DT paths of the providers
    std::vector<std::string> power_domains; // DT paths of the providers
    std::vector<std::string> resets;        // DT paths of the providers
    std::vector<std::string> notes;         // what could not be resolved, e.g. a missing parent
    Origin origin;
    bool operator==(const Device&) const = default;
};

struct PciBar {
    uint8_t index = 0; // 0-5; 6 is the expansion ROM
    Region region;
    bool io = false;
    bool is64 = false;
    bool prefetchable = false;
    bool operator==(const PciBar&) const = default;
};

struct PciCapability {
    uint16_t id = 0;
    uint16_t offset = 0;
    bool extended = false;
    std::string name; // "MSI", "PCIe", "ACS", ...
    bool operator==(const PciCapability&) const = default;
};

struct PciMsi {
    uint16_t offset = 0;
    uint8_t vectors = 1; // Multiple Message Capable, decoded
    bool is64 = false;
    bool per_vector_mask = false;
    bool operator==(const PciMsi&) const = default;
};

struct PciMsix {
    uint16_t offset = 0;
    uint16_t table_size = 0; // entries
    uint8_t table_bar = 0;
    uint32_t table_offset = 0;
    uint8_t pba_bar = 0;
    uint32_t pba_offset = 0;
    bool operator==(const PciMsix&) const = default;
};

struct PciAcs {
    uint16_t offset = 0;
    uint16_t capabilities = 0;
    uint16_t control = 0;
    bool operator==(const PciAcs&) const = default;
};

struct PciFunction {
    uint16_t segment = 0;
    uint8_t bus = 0;
    uint8_t device = 0;
    uint8_t function = 0;
    uint16_t vendor_id = 0;
    uint16_t device_id = 0;
    uint16_t subsystem_vendor_id = 0;
    uint16_t subsystem_id = 0;
    uint32_t class_code = 0; // base class << 16 | subclass << 8 | prog-if
    uint8_t revision = 0;
    uint8_t header_type = 0; // without the multi-function bit
    std::string vendor_name; // pci.ids, "" when not installed or unknown
    std::string device_name;
    std::vector<PciBar> bars;    // implemented BARs only, and the ROM as index 6
    uint8_t intx_pin = 0;        // 0 none, 1 = INTA
    uint8_t intx_line = 0;       // config-space Interrupt Line (firmware's routing hint)
    std::optional<uint32_t> irq; // the kernel's irq for INTx (sysfs `irq`)
    std::optional<PciMsi> msi;
    std::optional<PciMsix> msix;
    std::optional<PciAcs> acs;
    std::vector<PciCapability> capabilities;
    std::string pcie_type;     // endpoint | root-port | upstream | downstream | ... "" if not PCIe
    uint8_t secondary_bus = 0; // bridges only
    uint8_t subordinate_bus = 0; // bridges only
    std::string parent;          // BDF of the upstream bridge, "" on a root bus
    std::optional<uint32_t> iommu_group;
    std::string driver;             // bound kernel driver, "" when none
    std::vector<std::string> notes; // e.g. "config space truncated to 64 bytes (not root)"
    Origin origin;

    std::string bdf() const; // "0000:00:02.0"
    bool is_bridge() const { return header_type == 1; }
    bool operator==(const PciFunction&) const = default;
};

// One line of /proc/iomem or /proc/ioports; depth is the indentation level (nesting).
struct ResourceEntry {
    uint64_t start = 0;
    uint64_t end = 0; // inclusive, as the kernel prints it
    std::string name;
    uint32_t depth = 0;
    bool operator==(const ResourceEntry&) const = default;
};

struct AcpiTable {
    std::string signature;
    uint32_t length = 0;
    uint8_t revision = 0;
    std::string oem_id;
    std::string oem_table_id;
    Origin origin;
    bool operator==(const AcpiTable&) const = default;
};

// DMAR ATSR: the PCIe root ports (or every port of a segment) below which devices may use
// Address Translation Services, i.e. cache translations and send pre-translated DMA.
struct AtsRoot {
    uint16_t segment = 0;
    bool all_ports = false; // ALL_PORTS flag: every root port of the segment
    std::vector<IommuScope> scopes;
    Origin origin;
    bool operator==(const AtsRoot&) const = default;
};

struct AcpiInfo {
    std::vector<AcpiTable> tables;
    bool hw_reduced = false;               // FADT HW_REDUCED_ACPI
    std::optional<uint32_t> pm_timer_port; // FADT PM_TMR_BLK (I/O port), absent when none
    uint16_t sci_irq = 0;
    uint16_t boot_arch_flags = 0; // FADT IAPC_BOOT_ARCH (legacy devices, 8042, VGA, ...)
    std::vector<AtsRoot> ats_roots;
    bool operator==(const AcpiInfo&) const = default;
};

// SRAT: NUMA proximity of CPUs and memory ranges.
struct NumaCpu {
    uint64_t hw_id = 0;
    uint32_t domain = 0;
    bool operator==(const NumaCpu&) const = default;
};
struct NumaMemory {
    Region region;
    uint32_t domain = 0;
    bool hotplug = false;
    bool operator==(const NumaMemory&) const = default;
};
struct Numa {
    std::vector<NumaCpu> cpus;
    std::vector<NumaMemory> memory;
    bool operator==(const Numa&) const = default;
};

// Something the scan could not find or had to assume; the scan still succeeds.
struct Warning {
    std::string code;    // stable: no-iommu, no-pm-timer, unreadable-file, ...
    std::string message; // one line, names the file or node
    bool operator==(const Warning&) const = default;
};

struct Inventory {
    MachineInfo machine;
    std::vector<Cpu> cpus;
    std::optional<Psci> psci;
    std::vector<MemoryRange> memory;
    std::vector<ReservedRange> reserved;
    std::optional<Gic> gic;
    std::optional<Apic> apic;
    std::vector<Timer> timers;
    std::vector<Console> consoles;
    std::vector<PciHost> pci_hosts;
    std::vector<Iommu> iommus;
    std::vector<Device> devices;
    std::vector<PciFunction> pci;
    std::vector<ResourceEntry> iomem;
    std::vector<ResourceEntry> ioports;
    AcpiInfo acpi;
    Numa numa;
    std::vector<Warning> warnings;
    bool operator==(const Inventory&) const = default;
};

std::string_view to_string(Trigger);

} // namespace jailconf::inventory
