// The binary descriptor (.jcb), format version 1: the bytes the hypervisor reads. Every struct is
// made of byte-array fields (le.hpp), so its size is exactly the sum of its fields on any host and
// it may sit at any address. The sizes and offsets below are part of the v1 ABI; changing one
// means a new format version. docs/binary-format.md describes the layout in prose.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "jailconf/le.hpp"
#include "jailconf/limits.hpp"

namespace jailconf::jcb {

inline constexpr uint16_t format_version = 1;
inline constexpr uint8_t magic[4] = {'J', 'C', 'F', 'G'};
inline constexpr uint32_t section_alignment = 8;
inline constexpr uint64_t page_size = 4096;

// Enum values equal the model's enums (confgen/model.hpp); confgen static_asserts that. Elements
// store them as one byte; the verifier accepts 1..*_max.
enum class BlobArch : uint8_t { arm64 = 1, x86_64 = 2, arm32 = 3 };
enum class BlobKind : uint8_t { system = 1, cell = 2 };
enum class ConsoleType : uint8_t { pl011 = 1, ns16550 = 2, ns16550_pio = 3 };
enum class IrqChipType : uint8_t { gicv2 = 1, gicv3 = 2, apic = 3 };
enum class IommuType : uint8_t { smmuv2 = 1, smmuv3 = 2, vtd = 3, amd_vi = 4 };
enum class BarType : uint8_t { mem32 = 1, mem64 = 2, io = 3 };
enum class PciDeviceType : uint8_t { device = 1, bridge = 2 };
inline constexpr uint8_t arch_max = uint8_t(BlobArch::arm32);
inline constexpr uint8_t console_type_max = uint8_t(ConsoleType::ns16550_pio);
inline constexpr uint8_t irqchip_type_max = uint8_t(IrqChipType::apic);
inline constexpr uint8_t iommu_type_max = uint8_t(IommuType::amd_vi);
inline constexpr uint8_t bar_type_mem64 = uint8_t(BarType::mem64);
inline constexpr uint8_t bar_type_max = uint8_t(BarType::io);
inline constexpr uint8_t pci_device_type_max = uint8_t(PciDeviceType::bridge);

// MemoryElem::flags, equal to the model's MemFlag.
enum MemFlagBit : uint32_t {
    mem_read = 1u << 0,
    mem_write = 1u << 1,
    mem_execute = 1u << 2,
    mem_dma = 1u << 3,
    mem_io = 1u << 4,
    mem_loadable = 1u << 5,
    mem_comm_region = 1u << 6, // the cell's communication region with the hypervisor
    mem_shared = 1u << 7,
    mem_rootshared = 1u << 8,
};
inline constexpr uint32_t mem_flags_all = (1u << 9) - 1;

// Section ids. The table lists them strictly ascending; the order also fixes the body order the
// encoder writes.
enum class SectionId : uint16_t {
    strings = 1,
    platform = 2,
    platform_cpus = 3,
    iommus = 4,
    hypervisor = 5,
    cell = 6,
    cpus = 7,
    memory = 8,
    irqs = 9,
    pci_devices = 10,
    pci_caps = 11,
    stream_ids = 12,
    pio = 13,
    console = 14,
    watchdog = 15,
    links = 16,
    link_peers = 17,
};
inline constexpr uint16_t section_id_max = 17;

// ---- header and section table ------------------------------------------------------------------

struct Header {
    uint8_t magic[4];           // "JCFG"
    Le16 version;               // format_version
    Le16 header_size;           // sizeof(Header)
    uint8_t arch;               // BlobArch
    uint8_t kind;               // BlobKind
    Le16 section_count;         // entries in the section table right after the header
    Le32 total_size;            // of the whole blob, header included
    Le32 payload_crc32c;        // CRC-32C of bytes [header_size, total_size)
    Le32 header_crc32c;         // CRC-32C of the 64 header bytes with this field zero
    uint8_t reserved[8];        // zero
    uint8_t payload_sha256[32]; // SHA-256 of bytes [header_size, total_size), for measurement
};
static_assert(sizeof(Header) == 64, "v1 header");
static_assert(offsetof(Header, version) == 4 && offsetof(Header, header_size) == 6);
static_assert(offsetof(Header, arch) == 8 && offsetof(Header, kind) == 9);
static_assert(offsetof(Header, section_count) == 10 && offsetof(Header, total_size) == 12);
static_assert(offsetof(Header, payload_crc32c) == 16 && offsetof(Header, header_crc32c) == 20);
static_assert(offsetof(Header, reserved) == 24 && offsetof(Header, payload_sha256) == 32);

struct SectionEntry {
    Le16 id;        // SectionId
    Le16 reserved;  // zero
    Le32 offset;    // from the start of the blob, a multiple of section_alignment
    Le32 count;     // elements, at least 1 (an empty section is left out of the table)
    Le32 elem_size; // exactly the v1 size of the element
};
static_assert(sizeof(SectionEntry) == 16, "v1 section entry");
static_assert(offsetof(SectionEntry, reserved) == 2 && offsetof(SectionEntry, offset) == 4);
static_assert(offsetof(SectionEntry, count) == 8 && offsetof(SectionEntry, elem_size) == 12);

// ---- elements ----------------------------------------------------------------------------------
// Names are Le32 offsets into the strings section (elem_size 1); 0 is the empty string.
// Booleans are one byte, 0 or 1. Fields of an absent optional value are zero.

enum PlatformFlag : uint32_t {
    platform_has_irqchip = 1u << 0,
    platform_has_pci = 1u << 1,
    irqchip_has_gicd = 1u << 2,
    irqchip_has_gicc = 1u << 3,
    irqchip_has_gich = 1u << 4,
    irqchip_has_gicv = 1u << 5,
    irqchip_has_gicr = 1u << 6,
    irqchip_has_gicr_stride = 1u << 7,
    irqchip_has_ioapic = 1u << 8,
};
inline constexpr uint32_t platform_flags_all = (1u << 9) - 1;
inline constexpr uint32_t irqchip_address_flags = platform_flags_all & ~3u;

struct PlatformElem {
    Le32 name;
    Le32 flags; // PlatformFlag
    uint8_t irqchip_type;
    uint8_t pci_bus_start;
    uint8_t pci_bus_end;
    uint8_t reserved0;
    Le16 pci_segment;
    Le16 reserved1;
    Le64 gicd, gicc, gich, gicv, gicr, gicr_stride, ioapic;
    Le64 pci_ecam;
    Le64 pci_ecam_size;
};
static_assert(sizeof(PlatformElem) == 88, "v1 platform");
static_assert(offsetof(PlatformElem, irqchip_type) == 8 &&
              offsetof(PlatformElem, pci_segment) == 12);
static_assert(offsetof(PlatformElem, gicd) == 16 && offsetof(PlatformElem, ioapic) == 64);
static_assert(offsetof(PlatformElem, pci_ecam) == 72 &&
              offsetof(PlatformElem, pci_ecam_size) == 80);

struct PlatformCpuElem { // strictly ascending by id
    Le32 id;
    Le32 reserved;
    Le64 hw_id; // MPIDR affinity on Arm, APIC ID on x86
};
static_assert(sizeof(PlatformCpuElem) == 16, "v1 platform cpu");
static_assert(offsetof(PlatformCpuElem, hw_id) == 8);

struct IommuElem {
    uint8_t type;
    uint8_t reserved[7];
    Le64 base;
    Le64 size;
};
static_assert(sizeof(IommuElem) == 24, "v1 iommu");
static_assert(offsetof(IommuElem, base) == 8 && offsetof(IommuElem, size) == 16);

struct ConsoleElem { // the console section, and embedded in HypervisorElem
    uint8_t type;
    uint8_t reserved[7];
    Le64 base;
    Le64 size;
};
static_assert(sizeof(ConsoleElem) == 24, "v1 console");
static_assert(offsetof(ConsoleElem, base) == 8 && offsetof(ConsoleElem, size) == 16);

enum HypervisorFlag : uint32_t { hypervisor_has_console = 1u << 0 };
inline constexpr uint32_t hypervisor_flags_all = 1;

struct HypervisorElem {
    Le64 memory_phys;
    Le64 memory_size;
    Le32 flags; // HypervisorFlag
    Le32 reserved;
    ConsoleElem console;
};
static_assert(sizeof(HypervisorElem) == 48, "v1 hypervisor");
static_assert(offsetof(HypervisorElem, flags) == 16 && offsetof(HypervisorElem, console) == 24);

struct CellElem {
    Le32 name;
    uint8_t root; // 1 in the system blob, 0 in a cell blob
    uint8_t reserved[3];
};
static_assert(sizeof(CellElem) == 8, "v1 cell");
static_assert(offsetof(CellElem, root) == 4);

struct RangeElem { // cpus and irqs: sorted, disjoint, non-adjacent inclusive ranges
    Le32 first;
    Le32 last;
};
static_assert(sizeof(RangeElem) == 8, "v1 range");

struct MemoryElem {
    Le64 phys;
    Le64 virt;
    Le64 size;
    Le32 flags; // MemFlag bits
    Le32 name;
};
static_assert(sizeof(MemoryElem) == 32, "v1 memory region");
static_assert(offsetof(MemoryElem, size) == 16 && offsetof(MemoryElem, flags) == 24);
static_assert(offsetof(MemoryElem, name) == 28);

inline constexpr uint8_t pci_max_bars = 6;

struct PciBarElem {
    uint8_t index; // 0..5; a mem64 BAR also takes index + 1
    uint8_t type;
    uint8_t prefetchable;
    uint8_t reserved[5];
    Le64 addr;
    Le64 size;
};
static_assert(sizeof(PciBarElem) == 24, "v1 pci bar");
static_assert(offsetof(PciBarElem, addr) == 8 && offsetof(PciBarElem, size) == 16);

struct PciMsiElem {
    Le16 vectors;
    uint8_t addr64;
    uint8_t maskable;
    uint8_t reserved[4];
};
static_assert(sizeof(PciMsiElem) == 8, "v1 pci msi");

struct PciMsixElem {
    Le16 vectors;
    uint8_t table_bar;
    uint8_t pba_bar;
    Le32 table_offset;
    Le32 pba_offset;
    Le32 reserved;
};
static_assert(sizeof(PciMsixElem) == 16, "v1 pci msi-x");
static_assert(offsetof(PciMsixElem, table_offset) == 4 && offsetof(PciMsixElem, pba_offset) == 8);

enum PciDeviceFlag : uint16_t { pci_has_msi = 1u << 0, pci_has_msix = 1u << 1 };
inline constexpr uint16_t pci_device_flags_all = 3;

struct PciDeviceElem {
    Le32 bdf; // segment << 16 | bus << 8 | device << 3 | function
    uint8_t type;
    uint8_t bar_count; // bars[0, bar_count) are used, the rest are zero
    Le16 flags;        // PciDeviceFlag
    Le32 caps_first;   // this device's caps are pci_caps[caps_first, caps_first + caps_count);
    Le32 caps_count;   // devices take consecutive slices in device order
    PciBarElem bars[pci_max_bars];
    PciMsiElem msi;
    PciMsixElem msix;
};
static_assert(sizeof(PciDeviceElem) == 184, "v1 pci device");
static_assert(offsetof(PciDeviceElem, type) == 4 && offsetof(PciDeviceElem, flags) == 6);
static_assert(offsetof(PciDeviceElem, caps_first) == 8 && offsetof(PciDeviceElem, bars) == 16);
static_assert(offsetof(PciDeviceElem, msi) == 160 && offsetof(PciDeviceElem, msix) == 168);

struct PciCapElem {
    Le16 id;
    Le16 offset; // in config space
    Le16 size;
    uint8_t extended; // PCIe extended capability: offset >= 0x100
    uint8_t writable;
};
static_assert(sizeof(PciCapElem) == 8, "v1 pci capability");
static_assert(offsetof(PciCapElem, extended) == 6 && offsetof(PciCapElem, writable) == 7);

struct StreamIdElem {
    Le32 id;
};
static_assert(sizeof(StreamIdElem) == 4, "v1 stream id");

struct PioElem {
    Le16 base;
    Le16 reserved;
    Le32 size; // 1..65536, base + size <= 65536
};
static_assert(sizeof(PioElem) == 8, "v1 port I/O range");
static_assert(offsetof(PioElem, size) == 4);

struct WatchdogElem {
    Le32 timeout_ms;
    Le32 reserved;
};
static_assert(sizeof(WatchdogElem) == 8, "v1 watchdog");

enum LinkFlag : uint32_t { link_has_doorbell = 1u << 0 };
inline constexpr uint32_t link_flags_all = 1;

struct LinkElem {
    Le64 phys;
    Le64 virt;
    Le64 size;
    Le32 name;
    Le32 flags; // LinkFlag
    Le32 doorbell_irq;
    Le32 peers_first; // link_peers[peers_first, peers_first + peers_count), consecutive slices
    Le32 peers_count;
    Le32 reserved;
};
static_assert(sizeof(LinkElem) == 48, "v1 link");
static_assert(offsetof(LinkElem, name) == 24 && offsetof(LinkElem, flags) == 28);
static_assert(offsetof(LinkElem, doorbell_irq) == 32 && offsetof(LinkElem, peers_first) == 36);
static_assert(offsetof(LinkElem, peers_count) == 40 && offsetof(LinkElem, reserved) == 44);

struct LinkPeerElem {
    Le32 cell_name;
};
static_assert(sizeof(LinkPeerElem) == 4, "v1 link peer");

// ---- which sections exist, where, and how many ----------------------------------------------

inline constexpr uint8_t kind_bit(BlobKind k) {
    return uint8_t(1u << uint8_t(k));
}
inline constexpr uint8_t in_system = kind_bit(BlobKind::system);
inline constexpr uint8_t in_cell = kind_bit(BlobKind::cell);

struct SectionRule {
    SectionId id;
    const char* name;
    uint32_t elem_size;
    uint32_t max_count;
    uint8_t allowed; // kind_bit()s of the blobs that may carry it
    uint8_t required;
};

inline constexpr SectionRule section_rules[section_id_max] = {
    {SectionId::strings, "strings", 1, limits::max_string_table, in_system | in_cell,
     in_system | in_cell},
    {SectionId::platform, "platform", sizeof(PlatformElem), 1, in_system, in_system},
    {SectionId::platform_cpus, "platform_cpus", sizeof(PlatformCpuElem), limits::max_platform_cpus,
     in_system, 0},
    {SectionId::iommus, "iommus", sizeof(IommuElem), limits::max_iommus, in_system, 0},
    {SectionId::hypervisor, "hypervisor", sizeof(HypervisorElem), 1, in_system, in_system},
    {SectionId::cell, "cell", sizeof(CellElem), 1, in_system | in_cell, in_system | in_cell},
    {SectionId::cpus, "cpus", sizeof(RangeElem), limits::max_cpu_ranges, in_system | in_cell, 0},
    {SectionId::memory, "memory", sizeof(MemoryElem), limits::max_memory_regions,
     in_system | in_cell, 0},
    {SectionId::irqs, "irqs", sizeof(RangeElem), limits::max_irq_ranges, in_system | in_cell, 0},
    {SectionId::pci_devices, "pci_devices", sizeof(PciDeviceElem), limits::max_pci_devices,
     in_system | in_cell, 0},
    {SectionId::pci_caps, "pci_caps", sizeof(PciCapElem), limits::max_pci_caps, in_system | in_cell,
     0},
    {SectionId::stream_ids, "stream_ids", sizeof(StreamIdElem), limits::max_stream_ids,
     in_system | in_cell, 0},
    {SectionId::pio, "pio", sizeof(PioElem), limits::max_pio_ranges, in_system | in_cell, 0},
    {SectionId::console, "console", sizeof(ConsoleElem), 1, in_system | in_cell, 0},
    {SectionId::watchdog, "watchdog", sizeof(WatchdogElem), 1, in_system | in_cell, 0},
    {SectionId::links, "links", sizeof(LinkElem), limits::max_links, in_system, 0},
    {SectionId::link_peers, "link_peers", sizeof(LinkPeerElem),
     limits::max_links* limits::max_link_peers, in_system, 0},
};

constexpr bool section_rules_indexed_by_id() {
    for (uint16_t i = 0; i < section_id_max; ++i)
        if (uint16_t(section_rules[i].id) != i + 1)
            return false;
    return true;
}
static_assert(section_rules_indexed_by_id());

// nullptr for an id that version 1 does not know.
constexpr const SectionRule* section_rule(uint16_t id) {
    if (id == 0 || id > section_id_max)
        return nullptr;
    return &section_rules[id - 1];
}
constexpr const char* section_name(uint16_t id) {
    const SectionRule* r = section_rule(id);
    return r ? r->name : "?";
}

constexpr uint32_t align_up(uint32_t v, uint32_t a) {
    return (v + a - 1) & ~(a - 1);
}

} // namespace jailconf::jcb
