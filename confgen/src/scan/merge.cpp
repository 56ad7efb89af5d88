#include "scan/merge.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace jailconf::scan {
namespace {

using namespace inventory;

template <class T> void append(std::vector<T>& to, std::vector<T>& from) {
    to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

void fill(std::string& to, const std::string& from) {
    if (to.empty())
        to = from;
}

// procfs CPUs carry Linux's logical ids; firmware CPUs the hardware ids. x86 cpuinfo also has
// the APIC id, which pairs them exactly; otherwise they pair by position (Linux numbers CPUs in
// firmware order).
std::vector<Cpu> merge_cpus(std::vector<Cpu> firmware, const std::vector<Cpu>& linux_cpus) {
    if (firmware.empty())
        return linux_cpus;
    bool by_hw_id = std::any_of(linux_cpus.begin(), linux_cpus.end(),
                                [](const Cpu& c) { return c.hw_id != 0; });
    for (size_t i = 0; i < linux_cpus.size(); ++i) {
        const Cpu& lc = linux_cpus[i];
        Cpu* fc = nullptr;
        if (by_hw_id) {
            for (auto& c : firmware)
                if (c.hw_id == lc.hw_id)
                    fc = &c;
        } else if (i < firmware.size()) {
            fc = &firmware[i];
        }
        if (!fc)
            continue;
        fc->id = lc.id;
        fc->online = lc.online;
        if (!fc->numa_node)
            fc->numa_node = lc.numa_node;
    }
    std::stable_sort(firmware.begin(), firmware.end(),
                     [](const Cpu& a, const Cpu& b) { return a.id < b.id; });
    return firmware;
}

} // namespace

Inventory merge(Parts parts) {
    Inventory out;
    Inventory* firmware[] = {&parts.device_tree, &parts.acpi};

    out.machine = parts.procfs.machine;
    for (Inventory* f : firmware) {
        fill(out.machine.arch, f->machine.arch);
        fill(out.machine.model, f->machine.model);
        if (out.machine.compatible.empty())
            out.machine.compatible = f->machine.compatible;
        fill(out.machine.hypervisor, f->machine.hypervisor);
    }

    std::vector<Cpu> firmware_cpus =
        !parts.device_tree.cpus.empty() ? parts.device_tree.cpus : parts.acpi.cpus;
    out.cpus = merge_cpus(std::move(firmware_cpus), parts.procfs.cpus);

    out.psci = parts.device_tree.psci;
    out.memory = !parts.device_tree.memory.empty() ? parts.device_tree.memory : parts.procfs.memory;
    out.gic = parts.device_tree.gic ? parts.device_tree.gic : parts.acpi.gic;
    out.apic = parts.acpi.apic;
    for (Inventory* p : {&parts.device_tree, &parts.acpi, &parts.procfs, &parts.pci}) {
        append(out.reserved, p->reserved);
        append(out.timers, p->timers);
        append(out.consoles, p->consoles);
        append(out.pci_hosts, p->pci_hosts);
        append(out.iommus, p->iommus);
        append(out.devices, p->devices);
        append(out.warnings, p->warnings);
    }
    out.pci = std::move(parts.pci.pci);
    out.iomem = std::move(parts.procfs.iomem);
    out.ioports = std::move(parts.procfs.ioports);
    out.acpi = std::move(parts.acpi.acpi);
    out.numa = std::move(parts.acpi.numa);
    return out;
}

void add_machine_warnings(Inventory& inv) {
    auto warn = [&inv](std::string code, std::string message) {
        for (const auto& w : inv.warnings)
            if (w.code == code)
                return;
        inv.warnings.push_back({std::move(code), std::move(message)});
    };
    if (inv.cpus.empty())
        warn("no-cpus",
             "no source listed the CPUs (no device tree, MADT or /sys/devices/system/cpu)");
    if (inv.memory.empty())
        warn("no-memory", "no source listed the RAM (no device-tree memory node, no System RAM in "
                          "/proc/iomem)");
    if (inv.iommus.empty())
        warn("no-iommu", "no IOMMU found (no DMAR, IVRS, IORT SMMU or device-tree IOMMU): DMA of "
                         "devices given to cells is not contained");
    if (!inv.machine.hypervisor.empty())
        warn("virtual-machine",
             fmt::format("the machine is a virtual machine ({}): its devices are emulated",
                         inv.machine.hypervisor));
    if (!inv.gic && !inv.apic)
        warn("no-irqchip", "no interrupt controller found (no GIC in the device tree, no MADT)");
}

} // namespace jailconf::scan
