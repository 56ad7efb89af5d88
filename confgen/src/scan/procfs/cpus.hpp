// CPU numbering and ids: the kernel's CPU lists (/sys/devices/system/cpu/{present,possible,
// online}: "0-3,5") and /proc/cpuinfo (APIC ids on x86; arm64 shows no MPIDR there, so hw_id
// stays 0 for the device-tree/ACPI scanners to fill).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "confgen/expected.hpp"
#include "confgen/inventory.hpp"
#include "confgen/machine_files.hpp"
#include "confgen/scan_error.hpp"

namespace jailconf::scan::procfs {

// "0-3,5\n" -> 0 1 2 3 5, sorted, without duplicates. Ids above 65535 or more than 65536 CPUs
// are errors (no kernel has that many), so is "3-1" or any other text. An empty list is fine.
Expected<std::vector<uint32_t>, ScanError> parse_cpu_list(std::string_view text,
                                                          const std::string& file);

struct CpuinfoProcessor {
    uint32_t processor = 0;
    std::optional<uint64_t> apic_id; // x86 "apicid"
    uint64_t offset = 0;             // of the "processor" line
};

struct Cpuinfo {
    std::vector<CpuinfoProcessor> processors;
    bool hypervisor_flag = false; // x86 "flags" has "hypervisor"
    std::string arch;             // x86_64 | arm64 | arm32 | "" when the file does not say
};

// Tolerant (the format differs per architecture and kernel version): lines it does not know are
// skipped; a "processor" line whose value is not a number is skipped with its block.
Cpuinfo parse_cpuinfo(std::string_view text);

// The CPUs of the machine: logical ids from `present` (else `possible`, else cpuinfo), online
// state, APIC ids. Warnings for files that could not be read.
Expected<std::vector<inventory::Cpu>, ScanError>
scan_cpus(const MachineFiles& files, const Cpuinfo& cpuinfo,
          std::vector<inventory::Warning>& warnings);

} // namespace jailconf::scan::procfs
