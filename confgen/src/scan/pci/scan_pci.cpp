// scan_pci_sysfs: every function under /sys/bus/pci/devices, from its config space (ids,
// capabilities, MSI/MSI-X, ACS, bridge bus numbers), `resource` (BAR addresses and sizes as
// assigned), `irq`, and the `iommu_group` and `driver` links. Parents are derived from the
// bridges' bus ranges, which works the same on the live system and on a snapshot (the logical
// paths of MachineFiles do not show the real device hierarchy).
#include <algorithm>
#include <fmt/format.h>
#include <optional>
#include <tuple>

#include "scan/pci/config_space.hpp"
#include "scan/pci/pci_ids.hpp"
#include "scan/pci/sysfs_resource.hpp"
#include "scan/procfs/text_numbers.hpp"
#include "scan/scanners.hpp"

namespace jailconf::scan {
namespace {

using inventory::PciFunction;

constexpr std::string_view devices_dir = "/sys/bus/pci/devices";

struct Bdf {
    uint16_t segment = 0;
    uint8_t bus = 0, device = 0, function = 0;
};

// "0000:00:1f.3" (the domain may have more than 4 digits, e.g. Intel VMD's 10000).
std::optional<Bdf> parse_bdf_name(std::string_view name, bool& domain_too_large) {
    domain_too_large = false;
    size_t colon = name.find(':');
    if (colon == std::string_view::npos || colon < 4 || colon > 8)
        return std::nullopt;
    auto segment = procfs::parse_hex(name.substr(0, colon));
    auto bus = procfs::parse_hex(name.substr(colon + 1));
    if (!segment || segment->length != colon || !bus || bus->length != 2)
        return std::nullopt;
    std::string_view rest = name.substr(colon + 3);
    if (rest.size() != 5 || rest[0] != ':' || rest[3] != '.')
        return std::nullopt;
    auto device = procfs::parse_hex(rest.substr(1, 2));
    if (!device || device->length != 2 || device->value > 0x1f || rest[4] < '0' || rest[4] > '7')
        return std::nullopt;
    if (segment->value > 0xffff) {
        domain_too_large = true;
        return std::nullopt;
    }
    return Bdf{static_cast<uint16_t>(segment->value), static_cast<uint8_t>(bus->value),
               static_cast<uint8_t>(device->value), static_cast<uint8_t>(rest[4] - '0')};
}

// Same spelling as PciFunction::bdf() (implemented elsewhere); local so this file does not
// depend on it.
std::string format_bdf(const PciFunction& fn) {
    return fmt::format("{:04x}:{:02x}:{:02x}.{:x}", fn.segment, fn.bus, fn.device, fn.function);
}

void warn(Inventory& inv, std::string code, std::string message) {
    inv.warnings.push_back(inventory::Warning{std::move(code), std::move(message)});
}

// An optional file: its text, or nothing (with a warning unless it simply does not exist).
std::optional<std::string> read_optional(const MachineFiles& files, const std::string& path,
                                         Inventory& inv, size_t max_size = 4096) {
    auto text = files.read(path, max_size);
    if (text)
        return std::move(*text);
    if (text.error().kind != ScanError::Kind::not_found)
        warn(inv, "unreadable-file", text.error().str());
    return std::nullopt;
}

std::optional<std::string> link_target(const MachineFiles& files, const std::string& path,
                                       Inventory& inv) {
    auto target = files.read_link(path);
    if (target)
        return std::move(*target);
    if (target.error().kind != ScanError::Kind::not_found)
        warn(inv, "unreadable-file", target.error().str());
    return std::nullopt;
}

std::string_view basename(std::string_view path) {
    while (!path.empty() && path.back() == '/')
        path.remove_suffix(1);
    size_t slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// The other sysfs facts of one function.
Expected<bool, ScanError> read_sysfs_extras(const MachineFiles& files, const std::string& dir,
                                            const pci::ParsedConfig& parsed, PciFunction& fn,
                                            Inventory& inv) {
    std::string resource_path = dir + "/resource";
    if (auto text = read_optional(files, resource_path, inv)) {
        auto lines = pci::parse_sysfs_resource(*text, resource_path);
        if (!lines)
            return Unexpected(lines.error());
        fn.bars = pci::bars_from_resource(*lines, parsed.bars, fn);
    } else {
        fn.bars = pci::bars_from_config(parsed.bars);
        fn.notes.push_back("no sysfs `resource`: BAR addresses from config space, sizes unknown");
    }
    if (auto text = read_optional(files, dir + "/irq", inv)) {
        std::string_view value = procfs::trim(*text);
        auto irq = procfs::parse_decimal(value);
        if (!irq || irq->length != value.size())
            fn.notes.push_back(fmt::format("sysfs irq '{}' is not a number", value));
        else if (irq->value != 0)
            fn.irq = static_cast<uint32_t>(irq->value);
    }
    if (auto target = link_target(files, dir + "/iommu_group", inv)) {
        std::string_view group = basename(*target);
        auto n = procfs::parse_decimal(group);
        if (n && n->length == group.size())
            fn.iommu_group = static_cast<uint32_t>(n->value);
        else
            fn.notes.push_back(
                fmt::format("iommu_group link '{}' does not end in a number", *target));
    }
    if (auto target = link_target(files, dir + "/driver", inv))
        fn.driver = std::string(basename(*target));
    return true;
}

// The bridge whose bus range holds `fn`'s bus: the narrowest such range, so a device behind
// a switch gets the switch's downstream port, not the root port above it.
void derive_parents(std::vector<PciFunction>& pci) {
    for (auto& fn : pci) {
        const PciFunction* best = nullptr;
        for (const auto& bridge : pci) {
            if (&bridge == &fn || bridge.segment != fn.segment)
                continue;
            if (bridge.header_type != 1 && bridge.header_type != 2)
                continue;
            // An unconfigured bridge (secondary 0) or one pointing at or above its own bus
            // cannot be anybody's parent.
            if (bridge.secondary_bus <= bridge.bus || bridge.subordinate_bus < bridge.secondary_bus)
                continue;
            if (fn.bus < bridge.secondary_bus || fn.bus > bridge.subordinate_bus)
                continue;
            if (!best || bridge.subordinate_bus - bridge.secondary_bus <
                             best->subordinate_bus - best->secondary_bus)
                best = &bridge;
        }
        fn.parent = best ? format_bdf(*best) : std::string();
    }
}

} // namespace

Expected<Inventory, ScanError> scan_pci_sysfs(const MachineFiles& files,
                                              const std::string& pci_ids_path) {
    Inventory inv;
    auto names = files.list(devices_dir);
    if (!names) {
        if (names.error().kind == ScanError::Kind::not_found)
            return inv; // no PCI on this machine
        return Unexpected(names.error());
    }
    pci::PciIds ids = pci::PciIds::load(pci_ids_path);
    size_t truncated = 0;
    for (const auto& name : *names) {
        bool domain_too_large = false;
        auto bdf = parse_bdf_name(name, domain_too_large);
        if (!bdf) {
            warn(inv, "pci-unsupported-name",
                 fmt::format("{}/{}: {}; skipped", devices_dir, name,
                             domain_too_large ? "PCI domain above 0xffff (e.g. Intel VMD)"
                                              : "not a segment:bus:device.function name"));
            continue;
        }
        std::string dir = fmt::format("{}/{}", devices_dir, name);
        std::string config_path = dir + "/config";
        auto bytes = files.read(config_path, pci::extended_size);
        if (!bytes) {
            if (bytes.error().kind == ScanError::Kind::not_allowed ||
                bytes.error().kind == ScanError::Kind::too_large)
                return Unexpected(bytes.error());
            warn(inv, "unreadable-file", bytes.error().str() + "; function skipped");
            continue;
        }
        auto parsed = pci::parse_config_space(*bytes, config_path);
        if (!parsed)
            return Unexpected(parsed.error());
        PciFunction fn = std::move(parsed->function);
        fn.segment = bdf->segment;
        fn.bus = bdf->bus;
        fn.device = bdf->device;
        fn.function = bdf->function;
        if (parsed->truncated)
            ++truncated;
        auto extras = read_sysfs_extras(files, dir, *parsed, fn, inv);
        if (!extras)
            return Unexpected(extras.error());
        fn.vendor_name = std::string(ids.vendor(fn.vendor_id));
        fn.device_name = std::string(ids.device(fn.vendor_id, fn.device_id));
        inv.pci.push_back(std::move(fn));
    }
    if (truncated)
        warn(inv, "pci-config-truncated",
             fmt::format("{} of {} PCI functions under {} show only the 64-byte config header: "
                         "capabilities, MSI, MSI-X and ACS unknown; run as root",
                         truncated, inv.pci.size(), devices_dir));
    std::sort(inv.pci.begin(), inv.pci.end(), [](const PciFunction& a, const PciFunction& b) {
        return std::tie(a.segment, a.bus, a.device, a.function) <
               std::tie(b.segment, b.bus, b.device, b.function);
    });
    derive_parents(inv.pci);
    return inv;
}

} // namespace jailconf::scan
