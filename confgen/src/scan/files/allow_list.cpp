#include "scan/files/allow_list.hpp"

#include <fnmatch.h>
#include <string>
#include <vector>

#include "confgen/machine_files.hpp"

namespace jailconf::scan {
namespace {

constexpr AllowedPattern patterns[] = {
    {"/proc/iomem", EntryKind::file, "physical address map: RAM, firmware and device ranges"},
    {"/proc/ioports", EntryKind::file, "x86 port I/O ranges and their owners"},
    {"/proc/cpuinfo", EntryKind::file, "CPU model and APIC ids"},
    {"/proc/cmdline", EntryKind::file, "kernel command line (recorded in the inventory)"},
    {"/proc/sys/kernel/osrelease", EntryKind::file, "kernel release (recorded)"},
    {"/sys/devices/system/cpu/possible", EntryKind::file, "CPU numbering"},
    {"/sys/devices/system/cpu/present", EntryKind::file, "CPU numbering"},
    {"/sys/devices/system/cpu/online", EntryKind::file, "CPU numbering"},
    {"/sys/devices/system/cpu/cpu[0-9]*/online", EntryKind::file, "per-CPU online state"},
    {"/sys/devices/system/cpu/cpu[0-9]*/topology/*", EntryKind::file, "package/core ids"},
    {"/sys/firmware/acpi/tables/*", EntryKind::file, "ACPI tables"},
    {"/sys/firmware/acpi/tables/dynamic/*", EntryKind::file, "ACPI tables loaded at run time"},
    {"/sys/firmware/devicetree/base/**", EntryKind::file, "the device tree"},
    {"/sys/bus/pci/devices/*/config", EntryKind::file, "PCI configuration space"},
    {"/sys/bus/pci/devices/*/resource", EntryKind::file, "PCI BAR addresses as assigned"},
    {"/sys/bus/pci/devices/*/irq", EntryKind::file, "PCI legacy interrupt"},
    {"/sys/bus/pci/devices/*/numa_node", EntryKind::file, "PCI device NUMA node"},
    {"/sys/bus/pci/devices/*/iommu_group", EntryKind::link, "IOMMU group of a PCI device"},
    {"/sys/bus/pci/devices/*/driver", EntryKind::link, "kernel driver bound to a PCI device"},
    {"/sys/kernel/iommu_groups/*/devices/*", EntryKind::link, "IOMMU group members"},
    {"/sys/class/dmi/id/sys_vendor", EntryKind::file, "machine vendor"},
    {"/sys/class/dmi/id/product_name", EntryKind::file, "machine model"},
    {"/sys/class/dmi/id/board_vendor", EntryKind::file, "board vendor"},
    {"/sys/class/dmi/id/board_name", EntryKind::file, "board model"},
    {"/sys/class/dmi/id/bios_version", EntryKind::file, "firmware version"},
    {"/sys/hypervisor/type", EntryKind::file, "hypervisor the machine runs under"},
};

std::vector<std::string_view> components(std::string_view path) {
    std::vector<std::string_view> out;
    size_t i = 0;
    while (i < path.size()) {
        while (i < path.size() && path[i] == '/')
            ++i;
        size_t end = path.find('/', i);
        if (end == std::string_view::npos)
            end = path.size();
        if (end > i)
            out.push_back(path.substr(i, end - i));
        i = end;
    }
    return out;
}

bool component_matches(std::string_view pattern, std::string_view name) {
    if (name == "." || name == "..")
        return false;
    return fnmatch(std::string(pattern).c_str(), std::string(name).c_str(), FNM_PERIOD) == 0;
}

// Whole match when `prefix_only` is false; otherwise `path` may stop anywhere inside the pattern.
bool matches(std::string_view pattern, std::string_view path, bool prefix_only) {
    auto pat = components(pattern);
    auto got = components(path);
    if (path.empty() || path.front() != '/')
        return false;
    for (size_t i = 0; i < got.size(); ++i) {
        if (i >= pat.size())
            return false;
        if (pat[i] == "**") {
            for (size_t j = i; j < got.size(); ++j)
                if (got[j] == "." || got[j] == "..")
                    return false;
            return true;
        }
        if (!component_matches(pat[i], got[i]))
            return false;
    }
    if (prefix_only)
        return got.size() < pat.size();
    // A pattern ending in "**" also names the directory it starts from (as a directory only).
    return got.size() == pat.size();
}

} // namespace

std::span<const AllowedPattern> allowed_patterns() {
    return patterns;
}

const AllowedPattern* match_allowed(std::string_view path) {
    for (const auto& p : patterns)
        if (matches(p.pattern, path, false))
            return &p;
    return nullptr;
}

bool directory_allowed(std::string_view dir) {
    for (const auto& p : patterns) {
        if (matches(p.pattern, dir, true))
            return true;
        // Any directory below a "**".
        if (p.pattern.ends_with("/**") && matches(p.pattern, dir, false))
            return true;
    }
    return false;
}

} // namespace jailconf::scan

namespace jailconf {
bool path_allowed(std::string_view path) {
    return scan::match_allowed(path) != nullptr;
}
} // namespace jailconf
