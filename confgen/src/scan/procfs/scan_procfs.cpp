// scan_procfs: the physical address map (/proc/iomem), x86 port ranges (/proc/ioports), the
// CPUs and the machine identification. RAM and firmware-reserved ranges are the top-level
// entries of /proc/iomem: nested ones (kernel code, device BARs) are inside those.
#include <array>
#include <fmt/format.h>

#include "scan/procfs/cpus.hpp"
#include "scan/procfs/machine_info.hpp"
#include "scan/procfs/resource_tree.hpp"
#include "scan/scanners.hpp"

namespace jailconf::scan {
namespace {

constexpr std::string_view iomem_path = "/proc/iomem";
constexpr std::string_view ioports_path = "/proc/ioports";
constexpr std::string_view cpuinfo_path = "/proc/cpuinfo";

// Top-level /proc/iomem names for ranges firmware keeps (e820 / EFI memory map types as Linux
// names them; arm64 prints "reserved" in lower case).
constexpr std::array<std::string_view, 9> firmware_names = {
    "reserved",    "ACPI Tables",   "ACPI Non-volatile Storage",  "System ROM",        "Video ROM",
    "Adapter ROM", "Soft Reserved", "Persistent Memory (legacy)", "Unknown E820 type",
};

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i) {
        char x = a[i] >= 'A' && a[i] <= 'Z' ? char(a[i] - 'A' + 'a') : a[i];
        char y = b[i] >= 'A' && b[i] <= 'Z' ? char(b[i] - 'A' + 'a') : b[i];
        if (x != y)
            return false;
    }
    return true;
}

bool is_firmware_range(std::string_view name) {
    for (auto f : firmware_names)
        if (equals_ignoring_case(name, f))
            return true;
    return false;
}

inventory::Region region_of(const inventory::ResourceEntry& e) {
    // Inclusive end; a range reaching 2^64 - 1 from 0 has no uint64 size: clamp it.
    uint64_t size = e.end - e.start + 1;
    if (size == 0)
        size = ~uint64_t{0};
    return {e.start, size};
}

// A resource file: its lines (empty with a warning when it cannot be read).
Expected<std::vector<procfs::ResourceLine>, ScanError>
read_resource_tree(const MachineFiles& files, std::string_view path, std::string_view hidden_code,
                   Inventory& inv) {
    auto text = files.read(path);
    if (!text) {
        // Missing or unreadable: the scan goes on without it. Larger than the bound: not a
        // kernel's file.
        if (text.error().kind != ScanError::Kind::not_found &&
            text.error().kind != ScanError::Kind::unreadable)
            return Unexpected(text.error());
        inv.warnings.push_back({"unreadable-file", text.error().str()});
        return std::vector<procfs::ResourceLine>{};
    }
    auto lines = procfs::parse_resource_tree(*text, std::string(path));
    if (!lines)
        return Unexpected(lines.error());
    if (procfs::addresses_hidden(*lines))
        inv.warnings.push_back(
            {std::string(hidden_code),
             fmt::format("{} shows every address as 0 (the kernel hides them from non-root "
                         "readers): run as root",
                         path)});
    return lines;
}

} // namespace

Expected<Inventory, ScanError> scan_procfs(const MachineFiles& files) {
    Inventory inv;
    auto iomem = read_resource_tree(files, iomem_path, "iomem-hidden", inv);
    if (!iomem)
        return Unexpected(iomem.error());
    bool iomem_hidden = procfs::addresses_hidden(*iomem);
    for (const auto& line : *iomem) {
        inv.iomem.push_back(line.entry);
        if (iomem_hidden || line.entry.depth != 0 || line.entry.end < line.entry.start)
            continue;
        inventory::Origin origin{std::string(iomem_path), line.offset, {}};
        if (line.entry.name == "System RAM") {
            inventory::MemoryRange m;
            m.region = region_of(line.entry);
            m.origin = origin;
            inv.memory.push_back(std::move(m));
        } else if (is_firmware_range(line.entry.name)) {
            inventory::ReservedRange r;
            r.region = region_of(line.entry);
            r.name = line.entry.name;
            r.kind = "iomem";
            r.origin = origin;
            inv.reserved.push_back(std::move(r));
        }
    }
    auto ioports = read_resource_tree(files, ioports_path, "ioports-hidden", inv);
    if (!ioports)
        return Unexpected(ioports.error());
    for (const auto& line : *ioports)
        inv.ioports.push_back(line.entry);

    procfs::Cpuinfo cpuinfo;
    if (auto text = files.read(cpuinfo_path, 4u << 20))
        cpuinfo = procfs::parse_cpuinfo(*text);
    else if (text.error().kind == ScanError::Kind::not_allowed)
        return Unexpected(text.error());
    else
        inv.warnings.push_back({"unreadable-file", text.error().str()});
    auto cpus = procfs::scan_cpus(files, cpuinfo, inv.warnings);
    if (!cpus)
        return Unexpected(cpus.error());
    inv.cpus = std::move(*cpus);
    inv.machine = procfs::scan_machine_info(files, cpuinfo, inv.warnings);
    return inv;
}

} // namespace jailconf::scan
