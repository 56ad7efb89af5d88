#include "model_eq.hpp"

namespace pyjailconf {

using namespace jailconf;

bool same(const MemoryRegion& a, const MemoryRegion& b) {
    return a.name == b.name && a.phys == b.phys && a.virt == b.virt && a.size == b.size &&
           a.flags == b.flags;
}
bool same(const IdRange& a, const IdRange& b) {
    return a.first == b.first && a.last == b.last;
}
bool same(const PciBar& a, const PciBar& b) {
    return a.index == b.index && a.type == b.type && a.addr == b.addr && a.size == b.size &&
           a.prefetchable == b.prefetchable;
}
bool same(const PciCap& a, const PciCap& b) {
    return a.id == b.id && a.offset == b.offset && a.size == b.size && a.extended == b.extended &&
           a.writable == b.writable;
}
bool same(const PciMsi& a, const PciMsi& b) {
    return a.vectors == b.vectors && a.addr64 == b.addr64 && a.maskable == b.maskable;
}
bool same(const PciMsix& a, const PciMsix& b) {
    return a.vectors == b.vectors && a.table_bar == b.table_bar &&
           a.table_offset == b.table_offset && a.pba_bar == b.pba_bar &&
           a.pba_offset == b.pba_offset;
}
bool same(const PciDevice& a, const PciDevice& b) {
    return a.bdf == b.bdf && a.type == b.type && same(a.bars, b.bars) && same(a.caps, b.caps) &&
           same(a.msi, b.msi) && same(a.msix, b.msix);
}
bool same(const StreamId& a, const StreamId& b) {
    return a.id == b.id;
}
bool same(const PioRange& a, const PioRange& b) {
    return a.base == b.base && a.size == b.size;
}
bool same(const Console& a, const Console& b) {
    return a.type == b.type && a.base == b.base && a.size == b.size;
}
bool same(const Watchdog& a, const Watchdog& b) {
    return a.timeout_ms == b.timeout_ms;
}
bool same(const Waiver& a, const Waiver& b) {
    return a.rule == b.rule && a.reason == b.reason;
}
bool same(const Cell& a, const Cell& b) {
    return a.name == b.name && a.root == b.root && same(a.cpus, b.cpus) &&
           same(a.memory, b.memory) && same(a.irqs, b.irqs) && same(a.pci_devices, b.pci_devices) &&
           same(a.stream_ids, b.stream_ids) && same(a.pio, b.pio) && same(a.console, b.console) &&
           same(a.watchdog, b.watchdog) && same(a.waivers, b.waivers);
}
bool same(const IrqChip& a, const IrqChip& b) {
    return a.type == b.type && a.gicd == b.gicd && a.gicc == b.gicc && a.gich == b.gich &&
           a.gicv == b.gicv && a.gicr == b.gicr && a.gicr_stride == b.gicr_stride &&
           a.ioapic == b.ioapic;
}
bool same(const PciHost& a, const PciHost& b) {
    return a.ecam == b.ecam && a.ecam_size == b.ecam_size && a.bus_start == b.bus_start &&
           a.bus_end == b.bus_end && a.segment == b.segment;
}
bool same(const Iommu& a, const Iommu& b) {
    return a.type == b.type && a.base == b.base && a.size == b.size;
}
bool same(const PlatformCpu& a, const PlatformCpu& b) {
    return a.id == b.id && a.hw_id == b.hw_id;
}
bool same(const Platform& a, const Platform& b) {
    return a.name == b.name && same(a.cpus, b.cpus) && same(a.irqchip, b.irqchip) &&
           same(a.pci, b.pci) && same(a.iommus, b.iommus);
}
bool same(const Hypervisor& a, const Hypervisor& b) {
    return a.memory_phys == b.memory_phys && a.memory_size == b.memory_size &&
           same(a.console, b.console);
}
bool same(const LinkPeer& a, const LinkPeer& b) {
    return a.cell == b.cell;
}
bool same(const Link& a, const Link& b) {
    return a.name == b.name && same(a.peers, b.peers) && a.phys == b.phys && a.virt == b.virt &&
           a.size == b.size && a.doorbell_irq == b.doorbell_irq;
}
bool same(const System& a, const System& b) {
    return a.arch == b.arch && same(a.platform, b.platform) && same(a.hypervisor, b.hypervisor) &&
           same(a.cells, b.cells) && same(a.links, b.links);
}

} // namespace pyjailconf
