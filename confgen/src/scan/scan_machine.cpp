// Runs every scanner the machine has sources for and merges their findings.
#include "confgen/scan.hpp"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>

#include "confgen/read_file.hpp"
#include "scan/merge.hpp"
#include "scan/scanners.hpp"

namespace jailconf {
namespace {

constexpr size_t max_acpi_table = 16u << 20;
constexpr std::string_view acpi_dirs[] = {"/sys/firmware/acpi/tables",
                                          "/sys/firmware/acpi/tables/dynamic"};
constexpr std::string_view dt_dir = "/sys/firmware/devicetree/base";

// All table files of the machine; a missing directory means no ACPI.
Expected<std::vector<scan::AcpiTableFile>, ScanError> read_acpi_tables(const MachineFiles& files) {
    std::vector<scan::AcpiTableFile> tables;
    for (std::string_view dir : acpi_dirs) {
        auto names = files.list(dir);
        if (!names) {
            if (names.error().kind == ScanError::Kind::not_found)
                continue;
            return Unexpected(names.error());
        }
        for (const auto& name : *names) {
            std::string path = fmt::format("{}/{}", dir, name);
            if (files.is_directory(path))
                continue;
            auto bytes = files.read(path, max_acpi_table);
            if (!bytes)
                return Unexpected(bytes.error());
            tables.push_back({path, std::move(*bytes)});
        }
    }
    return tables;
}

void add_unreadable_warning(inventory::Inventory& inv, const ScanError& e) {
    inv.warnings.push_back({"unreadable-file", e.str()});
}

} // namespace

Expected<inventory::Inventory, ScanError> scan_machine(const MachineFiles& files,
                                                       const ScanOptions& options) {
    scan::Parts parts;
    auto procfs = scan::scan_procfs(files);
    if (!procfs)
        return Unexpected(procfs.error());
    parts.procfs = std::move(*procfs);

    auto pci = scan::scan_pci_sysfs(files, options.pci_ids_path);
    if (!pci)
        return Unexpected(pci.error());
    parts.pci = std::move(*pci);

    auto tables = read_acpi_tables(files);
    if (!tables) {
        if (tables.error().kind != ScanError::Kind::unreadable)
            return Unexpected(tables.error());
        add_unreadable_warning(parts.procfs, tables.error());
    } else if (!tables->empty()) {
        auto acpi = scan::scan_acpi_tables(*tables);
        if (!acpi)
            return Unexpected(acpi.error());
        parts.acpi = std::move(*acpi);
    }

    if (files.is_directory(dt_dir)) {
        auto dt = scan::scan_device_tree_directory(files, dt_dir);
        if (!dt)
            return Unexpected(dt.error());
        parts.device_tree = std::move(*dt);
    }

    auto inv = scan::merge(std::move(parts));
    scan::add_machine_warnings(inv);
    return inv;
}

Expected<inventory::Inventory, ScanError> scan_dtb_file(const std::string& path) {
    auto bytes = read_file(path);
    if (!bytes)
        return Unexpected(ScanError::of_file(ScanError::Kind::unreadable, path, bytes.error()));
    auto dt = scan::scan_device_tree_blob(*bytes, path);
    if (!dt)
        return Unexpected(dt.error());
    scan::Parts parts;
    parts.device_tree = std::move(*dt);
    auto inv = scan::merge(std::move(parts));
    scan::add_machine_warnings(inv);
    return inv;
}

Expected<inventory::Inventory, ScanError> scan_acpi_directory(const std::string& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return Unexpected(
            ScanError::of_file(ScanError::Kind::not_found, dir, "not a directory",
                               "give a directory of raw table files (e.g. from 'acpidump -b')"));
    std::vector<std::string> paths;
    for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator();
         it.increment(ec))
        if (it->is_regular_file(ec))
            paths.push_back(it->path().string());
    std::sort(paths.begin(), paths.end());
    std::vector<scan::AcpiTableFile> tables;
    for (const auto& p : paths) {
        auto bytes = read_file(p);
        if (!bytes)
            return Unexpected(ScanError::of_file(ScanError::Kind::unreadable, p, bytes.error()));
        tables.push_back({p, std::move(*bytes)});
    }
    auto acpi = scan::scan_acpi_tables(tables);
    if (!acpi)
        return Unexpected(acpi.error());
    scan::Parts parts;
    parts.acpi = std::move(*acpi);
    auto inv = scan::merge(std::move(parts));
    scan::add_machine_warnings(inv);
    return inv;
}

} // namespace jailconf
