// The typed model of a partitioned system: the one source of truth that YAML, JSON, the binary
// descriptor and Python are views of. Every element remembers where it was declared so that a
// diagnostic can point at it.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "confgen/source_location.hpp"
#include "jailconf/format.hpp"

namespace jailconf {

// Distinct integer types so that a physical address cannot be passed where a guest address is
// expected (Hafnium's paddr_t/ipaddr_t idea).
template <class Tag, class Rep> struct Strong {
    Rep value{};
    constexpr auto operator<=>(const Strong&) const = default;
};
using PhysAddr = Strong<struct PhysAddrTag, uint64_t>;
using GuestAddr = Strong<struct GuestAddrTag, uint64_t>;

enum class Arch : uint8_t { arm64 = 1, x86_64 = 2, arm32 = 3 };

// The bit values are those of the binary descriptor, defined once in the format header.
enum MemFlag : uint32_t {
    mem_read = jcb::mem_read,
    mem_write = jcb::mem_write,
    mem_execute = jcb::mem_execute,
    mem_dma = jcb::mem_dma,
    mem_io = jcb::mem_io,
    mem_loadable = jcb::mem_loadable,
    mem_comm_region = jcb::mem_comm_region,
    mem_shared = jcb::mem_shared,
    mem_rootshared = jcb::mem_rootshared,
};
inline constexpr uint32_t mem_flags_all = jcb::mem_flags_all;

struct MemoryRegion {
    std::string name; // may be empty
    PhysAddr phys;
    GuestAddr virt; // equals phys unless the YAML said otherwise
    uint64_t size = 0;
    uint32_t flags = 0; // MemFlag bits
    SourceLocation loc;
};

// An inclusive range of small ids (CPUs, interrupts); `[33, 35-38]` in YAML.
struct IdRange {
    uint32_t first = 0;
    uint32_t last = 0;
    SourceLocation loc;
    bool contains(uint32_t id) const { return id >= first && id <= last; }
};

struct Bdf {
    uint16_t segment = 0;
    uint8_t bus = 0;
    uint8_t device = 0;   // 0..31
    uint8_t function = 0; // 0..7
    constexpr uint32_t packed() const {
        return uint32_t(segment) << 16 | uint32_t(bus) << 8 | uint32_t(device) << 3 | function;
    }
    static constexpr Bdf from_packed(uint32_t v) {
        return Bdf{uint16_t(v >> 16), uint8_t(v >> 8), uint8_t((v >> 3) & 0x1f), uint8_t(v & 7)};
    }
    constexpr auto operator<=>(const Bdf&) const = default;
};

enum class BarType : uint8_t { mem32 = 1, mem64 = 2, io = 3 };

struct PciBar {
    uint8_t index = 0; // 0..5; a mem64 BAR also occupies index + 1
    BarType type = BarType::mem32;
    uint64_t addr = 0;
    uint64_t size = 0;
    bool prefetchable = false;
    SourceLocation loc;
};

struct PciCap {
    uint16_t id = 0;
    uint16_t offset = 0; // in config space
    uint16_t size = 0;
    bool extended = false; // PCIe extended capability (offset >= 0x100)
    bool writable = false; // the cell may write it
    SourceLocation loc;
};

struct PciMsi {
    uint16_t vectors = 0;
    bool addr64 = false;
    bool maskable = false;
    SourceLocation loc;
};

struct PciMsix {
    uint16_t vectors = 0;
    uint8_t table_bar = 0;
    uint32_t table_offset = 0;
    uint8_t pba_bar = 0;
    uint32_t pba_offset = 0;
    SourceLocation loc;
};

enum class PciDeviceType : uint8_t { device = 1, bridge = 2 };

struct PciDevice {
    Bdf bdf;
    PciDeviceType type = PciDeviceType::device;
    std::vector<PciBar> bars;
    std::vector<PciCap> caps;
    std::optional<PciMsi> msi;
    std::optional<PciMsix> msix;
    SourceLocation loc;
};

struct StreamId {
    uint32_t id = 0;
    SourceLocation loc;
};

// x86 port I/O range a cell may access directly.
struct PioRange {
    uint16_t base = 0;
    uint32_t size = 0; // 1..65536
    SourceLocation loc;
};

enum class ConsoleType : uint8_t { pl011 = 1, ns16550 = 2, ns16550_pio = 3 };

struct Console {
    ConsoleType type = ConsoleType::pl011;
    uint64_t base = 0; // guest-physical MMIO address, or an I/O port for ns16550_pio
    uint64_t size = 0; // defaults: 4K for MMIO, 8 for port I/O
    SourceLocation loc;
};

struct Watchdog {
    uint32_t timeout_ms = 0;
    SourceLocation loc;
};

// A kb finding the integrator accepts for this cell, with the reason (lint reports it as
// suppressed instead of failing).
struct Waiver {
    std::string rule; // KB-...
    std::string reason;
    SourceLocation loc;
};

struct Cell {
    std::string name;
    bool root = false;
    std::vector<IdRange> cpus;
    std::vector<MemoryRegion> memory;
    std::vector<IdRange> irqs;
    std::vector<PciDevice> pci_devices;
    std::vector<StreamId> stream_ids;
    std::vector<PioRange> pio;
    std::optional<Console> console;
    std::optional<Watchdog> watchdog;
    std::vector<Waiver> waivers;
    SourceLocation loc;
};

enum class IrqChipType : uint8_t { gicv2 = 1, gicv3 = 2, apic = 3 };

struct IrqChip {
    IrqChipType type = IrqChipType::gicv3;
    std::optional<uint64_t> gicd, gicc, gich, gicv; // GICv2 (gicd also GICv3)
    std::optional<uint64_t> gicr, gicr_stride;      // GICv3
    std::optional<uint64_t> ioapic;                 // x86 APIC
    SourceLocation loc;
};

struct PciHost {
    uint64_t ecam = 0;
    uint64_t ecam_size = 0;
    uint8_t bus_start = 0;
    uint8_t bus_end = 255;
    uint16_t segment = 0;
    SourceLocation loc;
};

enum class IommuType : uint8_t { smmuv2 = 1, smmuv3 = 2, vtd = 3, amd_vi = 4 };

struct Iommu {
    IommuType type = IommuType::smmuv3;
    uint64_t base = 0;
    uint64_t size = 0;
    SourceLocation loc;
};

struct PlatformCpu {
    uint32_t id = 0;    // the logical CPU number cells refer to
    uint64_t hw_id = 0; // MPIDR affinity on Arm, APIC ID on x86
    SourceLocation loc;
};

struct Platform {
    std::string name;
    std::vector<PlatformCpu> cpus;
    std::optional<IrqChip> irqchip;
    std::optional<PciHost> pci;
    std::vector<Iommu> iommus;
    SourceLocation loc;
};

struct Hypervisor {
    PhysAddr memory_phys;
    uint64_t memory_size = 0;
    SourceLocation memory_loc;
    std::optional<Console> console;
    SourceLocation loc;
};

struct LinkPeer {
    std::string cell;
    SourceLocation loc;
};

// Shared memory between cells, provided by the hypervisor and mapped into each peer at `virt`.
struct Link {
    std::string name;
    std::vector<LinkPeer> peers;
    PhysAddr phys;
    GuestAddr virt; // equals phys unless the YAML said otherwise
    uint64_t size = 0;
    std::optional<uint32_t> doorbell_irq; // INTID raised in the peers
    SourceLocation loc;
};

struct System {
    Arch arch = Arch::arm64;
    Platform platform;
    Hypervisor hypervisor;
    std::vector<Cell> cells;
    std::vector<Link> links;
    SourceLocation loc;

    const Cell* root_cell() const;
    const Cell* find_cell(std::string_view name) const;
};

// Names used in YAML and in messages; the inverse parsers live with the YAML loader.
std::string_view to_string(Arch);
std::string_view to_string(ConsoleType);
std::string_view to_string(IrqChipType);
std::string_view to_string(IommuType);
std::string_view to_string(BarType);
std::string_view to_string(PciDeviceType);
std::string format_bdf(const Bdf&);
// Inverses of to_string; nullopt for an unknown name.
template <class Enum> std::optional<Enum> enum_from_string(std::string_view name);
// Flag names in canonical order, e.g. {"read", "write"}.
std::vector<std::string_view> mem_flag_names(uint32_t flags);
std::optional<MemFlag> mem_flag_from_name(std::string_view);

} // namespace jailconf
