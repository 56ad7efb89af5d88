#include <fmt/format.h>

#include "generate/parts.hpp"

namespace jailconf {

using namespace generate;

namespace {

// Sorted, with adjacent and overlapping port ranges merged.
std::vector<PioRange> merge_ports(std::vector<PioRange> ports) {
    std::sort(ports.begin(), ports.end(),
              [](const PioRange& a, const PioRange& b) { return a.base < b.base; });
    std::vector<PioRange> out;
    for (const auto& p : ports) {
        if (!out.empty() && uint32_t(out.back().base) + out.back().size >= p.base) {
            uint32_t end =
                std::max(uint32_t(out.back().base) + out.back().size, uint32_t(p.base) + p.size);
            out.back().size = end - out.back().base;
            continue;
        }
        out.push_back(p);
    }
    return out;
}

} // namespace

Expected<GeneratedSystem, GenerateError> generate_root_system(const inventory::Inventory& inv,
                                                              const GenerateOptions& options) {
    GeneratedSystem out;
    auto arch = machine_arch(inv);
    if (!arch)
        return Unexpected(GenerateError{
            "the inventory does not say which architecture the machine is",
            "scan it with its device tree or ACPI tables (machine.arch, a GIC or an APIC)"});
    System& s = out.system;
    s.arch = *arch;
    auto platform = make_platform(inv, *arch, out.notes);
    if (!platform)
        return Unexpected(platform.error());
    s.platform = std::move(*platform);
    if (!options.platform_name.empty())
        s.platform.name = options.platform_name;

    auto hv = reserve_hypervisor_memory(inv, options.hv_memory_size, options.hv_memory_phys);
    if (!hv)
        return Unexpected(hv.error());
    s.hypervisor.memory_phys = PhysAddr{hv->begin};
    s.hypervisor.memory_size = hv->size();
    s.hypervisor.console = pick_console(inv, *arch);
    if (!s.hypervisor.console)
        out.notes.push_back("no console the hypervisor can drive (pl011, 16550): it runs silent");

    Cell root;
    root.name = "root";
    root.root = true;
    for (const auto& c : s.platform.cpus) {
        if (!root.cpus.empty() && root.cpus.back().last + 1 == c.id)
            root.cpus.back().last = c.id;
        else
            root.cpus.push_back({c.id, c.id, {}});
    }
    root.memory = root_memory(inv, *hv, out.notes);
    std::vector<PioRange> pio;
    root.pci_devices = root_pci_devices(inv, *arch, root.memory, pio, out.notes);
    root.memory = coalesce(std::move(root.memory));
    root.irqs = root_irqs(inv, *arch, out.notes);
    if (*arch == Arch::x86_64) {
        auto legacy = root_legacy_ports(inv, out.notes);
        pio.insert(pio.end(), legacy.begin(), legacy.end());
        root.pio = merge_ports(std::move(pio));
    }
    for (const auto& d : inv.devices)
        if (d.status == "okay")
            for (uint32_t sid : d.stream_ids)
                root.stream_ids.push_back({sid, {}});
    std::sort(root.stream_ids.begin(), root.stream_ids.end(),
              [](const StreamId& a, const StreamId& b) { return a.id < b.id; });
    root.stream_ids.erase(
        std::unique(root.stream_ids.begin(), root.stream_ids.end(),
                    [](const StreamId& a, const StreamId& b) { return a.id == b.id; }),
        root.stream_ids.end());
    root.console = s.hypervisor.console;
    s.cells.push_back(std::move(root));
    return out;
}

} // namespace jailconf
