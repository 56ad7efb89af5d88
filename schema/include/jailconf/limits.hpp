// Fixed bounds of descriptor format version 1. The hypervisor sizes its tables with these; the
// verifier rejects a blob that exceeds them and confgen's checks report JC-LIMIT before compiling.
#pragma once

#include <stdint.h>

namespace jailconf::limits {

inline constexpr uint32_t max_blob_size = 16u << 20;
inline constexpr uint32_t max_string_table = 64u << 10;
inline constexpr uint32_t max_name_length = 63; // bytes, without the terminating NUL

inline constexpr uint32_t max_cpu_id = 4095;
inline constexpr uint32_t max_platform_cpus = 4096;
inline constexpr uint32_t max_cpu_ranges = 256;
inline constexpr uint32_t max_memory_regions = 1024; // per cell
inline constexpr uint32_t max_irq_ranges = 1024;     // per cell
inline constexpr uint32_t max_pci_devices = 256;     // per cell
inline constexpr uint32_t max_pci_caps = 2048;       // per cell, all devices together
inline constexpr uint32_t max_stream_ids = 1024;     // per cell
inline constexpr uint32_t max_pio_ranges = 256;      // per cell
inline constexpr uint32_t max_iommus = 16;
inline constexpr uint32_t max_links = 256;
inline constexpr uint32_t max_link_peers = 16;

} // namespace jailconf::limits
