// The pieces of `generate_root_system`, one file each.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "confgen/generate.hpp"
#include "generate/ranges.hpp"

namespace jailconf::generate {

using Notes = std::vector<std::string>;

std::optional<Arch> machine_arch(const inventory::Inventory&);
std::string platform_name(const inventory::Inventory&);
Expected<Platform, GenerateError> make_platform(const inventory::Inventory&, Arch, Notes&);
std::optional<jailconf::Console> pick_console(const inventory::Inventory&, Arch);
// The console a UART of the inventory becomes, if the hypervisor can drive it (pl011, 16550).
std::optional<jailconf::Console> console_for(const inventory::Console&, Arch);
// Devices the hypervisor owns or intercepts (GIC, IOMMU, PCI host), never given to a cell.
bool hypervisor_owned(const inventory::Inventory&, const inventory::Device&);

// Where the hypervisor's own memory goes: `size` bytes at the top of the highest RAM range that
// holds them, 2 MiB aligned, clear of reserved ranges; or at `phys` when given (checked).
Expected<Span, GenerateError> reserve_hypervisor_memory(const inventory::Inventory&, uint64_t size,
                                                        std::optional<uint64_t> phys);

// Memory regions of the root cell: RAM minus `hv`, firmware ranges, device MMIO.
std::vector<MemoryRegion> root_memory(const inventory::Inventory&, Span hv, Notes&);
// PCI functions with their BARs, capabilities and MSI/MSI-X; appends the BAR MMIO (with the
// MSI-X table pages left out, for the hypervisor to intercept) to `memory` and I/O BARs to `pio`.
std::vector<PciDevice> root_pci_devices(const inventory::Inventory&, Arch,
                                        std::vector<MemoryRegion>& memory,
                                        std::vector<PioRange>& pio, Notes&);
std::vector<IdRange> root_irqs(const inventory::Inventory&, Arch, Notes&);
std::vector<PioRange> root_legacy_ports(const inventory::Inventory&, Notes&);

// Sorts regions and merges those that overlap or touch with equal flags (device registers
// sharing a page); overlapping regions with different flags keep the wider rights.
std::vector<MemoryRegion> coalesce(std::vector<MemoryRegion> regions);

} // namespace jailconf::generate
