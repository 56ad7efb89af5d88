// The inventory's keys, listed once. Every view (YAML and JSON writers, the reader, the key
// reference in docs/inventory.md) walks these lists, so a field added to a struct in
// inventory.hpp and here appears everywhere with the same name.
#pragma once

#include "confgen/inventory.hpp"

namespace jailconf::inventory {

// Passed as the third argument for numbers written in hexadecimal in YAML (addresses, sizes).
struct Hex {};

template <class V> void fields(V& v, Origin& x) {
    v("file", x.file);
    v("offset", x.offset, Hex{});
    v("node", x.node);
}
template <class V> void fields(V& v, Region& x) {
    v("base", x.base, Hex{});
    v("size", x.size, Hex{});
}
template <class V> void fields(V& v, Interrupt& x) {
    v("id", x.id);
    v("trigger", x.trigger);
}
template <class V> void fields(V& v, MachineInfo& x) {
    v("arch", x.arch);
    v("model", x.model);
    v("compatible", x.compatible);
    v("kernel_release", x.kernel_release);
    v("kernel_cmdline", x.kernel_cmdline);
    v("hypervisor", x.hypervisor);
}
template <class V> void fields(V& v, Cpu& x) {
    v("id", x.id);
    v("hw_id", x.hw_id, Hex{});
    v("enable_method", x.enable_method);
    v("enabled", x.enabled);
    v("online", x.online);
    v("numa_node", x.numa_node);
    v("origin", x.origin);
}
template <class V> void fields(V& v, Psci& x) {
    v("method", x.method);
    v("version", x.version);
    v("origin", x.origin);
}
template <class V> void fields(V& v, MemoryRange& x) {
    v("region", x.region);
    v("numa_node", x.numa_node);
    v("origin", x.origin);
}
template <class V> void fields(V& v, ReservedRange& x) {
    v("region", x.region);
    v("name", x.name);
    v("kind", x.kind);
    v("no_map", x.no_map);
    v("devices", x.devices);
    v("origin", x.origin);
}
template <class V> void fields(V& v, Its& x) {
    v("region", x.region);
    v("id", x.id);
    v("origin", x.origin);
}
template <class V> void fields(V& v, Gic& x) {
    v("type", x.type);
    v("distributor", x.distributor);
    v("redistributors", x.redistributors);
    v("redistributor_stride", x.redistributor_stride, Hex{});
    v("cpu_interface", x.cpu_interface);
    v("hyp_interface", x.hyp_interface);
    v("vcpu_interface", x.vcpu_interface);
    v("maintenance_irq", x.maintenance_irq);
    v("its", x.its);
    v("origin", x.origin);
}
template <class V> void fields(V& v, IoApic& x) {
    v("id", x.id);
    v("base", x.base, Hex{});
    v("gsi_base", x.gsi_base);
    v("origin", x.origin);
}
template <class V> void fields(V& v, IrqOverride& x) {
    v("bus", x.bus);
    v("source", x.source);
    v("gsi", x.gsi);
    v("trigger", x.trigger);
    v("origin", x.origin);
}
template <class V> void fields(V& v, Apic& x) {
    v("local_apic_base", x.local_apic_base, Hex{});
    v("ioapics", x.ioapics);
    v("overrides", x.overrides);
    v("pcat_compat", x.pcat_compat);
}
template <class V> void fields(V& v, Timer& x) {
    v("type", x.type);
    v("region", x.region);
    v("irqs", x.irqs);
    v("origin", x.origin);
}
template <class V> void fields(V& v, Console& x) {
    v("type", x.type);
    v("base", x.base, Hex{});
    v("port_io", x.port_io);
    v("irq", x.irq);
    v("baud", x.baud);
    v("path", x.path);
    v("chosen", x.chosen);
    v("origin", x.origin);
}
template <class V> void fields(V& v, PciWindow& x) {
    v("type", x.type);
    v("cpu_addr", x.cpu_addr, Hex{});
    v("pci_addr", x.pci_addr, Hex{});
    v("size", x.size, Hex{});
}
template <class V> void fields(V& v, PciIntxRoute& x) {
    v("bus", x.bus);
    v("device", x.device);
    v("function", x.function);
    v("pin", x.pin);
    v("irq", x.irq);
}
template <class V> void fields(V& v, PciHost& x) {
    v("segment", x.segment);
    v("bus_start", x.bus_start);
    v("bus_end", x.bus_end);
    v("ecam", x.ecam);
    v("windows", x.windows);
    v("intx_routes", x.intx_routes);
    v("path", x.path);
    v("origin", x.origin);
}
template <class V> void fields(V& v, IdMapping& x) {
    v("input_base", x.input_base, Hex{});
    v("output_base", x.output_base, Hex{});
    v("count", x.count);
    v("source", x.source);
}
template <class V> void fields(V& v, IommuScope& x) {
    v("kind", x.kind);
    v("segment", x.segment);
    v("first", x.first, Hex{});
    v("last", x.last, Hex{});
    v("path", x.path);
    v("handle", x.handle);
    v("alias", x.alias, Hex{});
    v("settings", x.settings, Hex{});
}
template <class V> void fields(V& v, Iommu& x) {
    v("type", x.type);
    v("region", x.region);
    v("segment", x.segment);
    v("irqs", x.irqs);
    v("scopes", x.scopes);
    v("id_maps", x.id_maps);
    v("path", x.path);
    v("origin", x.origin);
}
template <class V> void fields(V& v, Device& x) {
    v("path", x.path);
    v("compatible", x.compatible);
    v("status", x.status);
    v("regs", x.regs);
    v("irqs", x.irqs);
    v("stream_ids", x.stream_ids, Hex{});
    v("iommu", x.iommu);
    v("clocks", x.clocks);
    v("power_domains", x.power_domains);
    v("resets", x.resets);
    v("notes", x.notes);
    v("origin", x.origin);
}
template <class V> void fields(V& v, PciBar& x) {
    v("index", x.index);
    v("region", x.region);
    v("io", x.io);
    v("is64", x.is64);
    v("prefetchable", x.prefetchable);
}
template <class V> void fields(V& v, PciCapability& x) {
    v("id", x.id, Hex{});
    v("offset", x.offset, Hex{});
    v("extended", x.extended);
    v("name", x.name);
}
template <class V> void fields(V& v, PciMsi& x) {
    v("offset", x.offset, Hex{});
    v("vectors", x.vectors);
    v("is64", x.is64);
    v("per_vector_mask", x.per_vector_mask);
}
template <class V> void fields(V& v, PciMsix& x) {
    v("offset", x.offset, Hex{});
    v("table_size", x.table_size);
    v("table_bar", x.table_bar);
    v("table_offset", x.table_offset, Hex{});
    v("pba_bar", x.pba_bar);
    v("pba_offset", x.pba_offset, Hex{});
}
template <class V> void fields(V& v, PciAcs& x) {
    v("offset", x.offset, Hex{});
    v("capabilities", x.capabilities, Hex{});
    v("control", x.control, Hex{});
}
template <class V> void fields(V& v, PciFunction& x) {
    v("segment", x.segment);
    v("bus", x.bus);
    v("device", x.device);
    v("function", x.function);
    v("vendor_id", x.vendor_id, Hex{});
    v("device_id", x.device_id, Hex{});
    v("subsystem_vendor_id", x.subsystem_vendor_id, Hex{});
    v("subsystem_id", x.subsystem_id, Hex{});
    v("class_code", x.class_code, Hex{});
    v("revision", x.revision);
    v("header_type", x.header_type);
    v("vendor_name", x.vendor_name);
    v("device_name", x.device_name);
    v("bars", x.bars);
    v("intx_pin", x.intx_pin);
    v("intx_line", x.intx_line);
    v("irq", x.irq);
    v("msi", x.msi);
    v("msix", x.msix);
    v("acs", x.acs);
    v("capabilities", x.capabilities);
    v("pcie_type", x.pcie_type);
    v("secondary_bus", x.secondary_bus);
    v("subordinate_bus", x.subordinate_bus);
    v("parent", x.parent);
    v("iommu_group", x.iommu_group);
    v("driver", x.driver);
    v("notes", x.notes);
    v("origin", x.origin);
}
template <class V> void fields(V& v, ResourceEntry& x) {
    v("start", x.start, Hex{});
    v("end", x.end, Hex{});
    v("name", x.name);
    v("depth", x.depth);
}
template <class V> void fields(V& v, AcpiTable& x) {
    v("signature", x.signature);
    v("length", x.length);
    v("revision", x.revision);
    v("oem_id", x.oem_id);
    v("oem_table_id", x.oem_table_id);
    v("origin", x.origin);
}
template <class V> void fields(V& v, AtsRoot& x) {
    v("segment", x.segment);
    v("all_ports", x.all_ports);
    v("scopes", x.scopes);
    v("origin", x.origin);
}
template <class V> void fields(V& v, AcpiInfo& x) {
    v("tables", x.tables);
    v("hw_reduced", x.hw_reduced);
    v("pm_timer_port", x.pm_timer_port, Hex{});
    v("sci_irq", x.sci_irq);
    v("boot_arch_flags", x.boot_arch_flags, Hex{});
    v("ats_roots", x.ats_roots);
}
template <class V> void fields(V& v, NumaCpu& x) {
    v("hw_id", x.hw_id, Hex{});
    v("domain", x.domain);
}
template <class V> void fields(V& v, NumaMemory& x) {
    v("region", x.region);
    v("domain", x.domain);
    v("hotplug", x.hotplug);
}
template <class V> void fields(V& v, Numa& x) {
    v("cpus", x.cpus);
    v("memory", x.memory);
}
template <class V> void fields(V& v, Warning& x) {
    v("code", x.code);
    v("message", x.message);
}
template <class V> void fields(V& v, Inventory& x) {
    v("machine", x.machine);
    v("cpus", x.cpus);
    v("psci", x.psci);
    v("memory", x.memory);
    v("reserved", x.reserved);
    v("gic", x.gic);
    v("apic", x.apic);
    v("timers", x.timers);
    v("consoles", x.consoles);
    v("pci_hosts", x.pci_hosts);
    v("iommus", x.iommus);
    v("devices", x.devices);
    v("pci", x.pci);
    v("iomem", x.iomem);
    v("ioports", x.ioports);
    v("acpi", x.acpi);
    v("numa", x.numa);
    v("warnings", x.warnings);
}

} // namespace jailconf::inventory
