// What the kernel says about the machine as a whole: release, command line, DMI model, and
// whether it runs under a hypervisor.
#pragma once

#include <vector>

#include "confgen/inventory.hpp"
#include "confgen/machine_files.hpp"
#include "scan/procfs/cpus.hpp"

namespace jailconf::scan::procfs {

// Never fails: every source is optional (DMI is x86/ACPI only, /sys/hypervisor is Xen-only);
// files that exist but cannot be read give warnings.
inventory::MachineInfo scan_machine_info(const MachineFiles& files, const Cpuinfo& cpuinfo,
                                         std::vector<inventory::Warning>& warnings);

} // namespace jailconf::scan::procfs
