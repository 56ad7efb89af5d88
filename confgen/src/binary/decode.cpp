// decompile(): descriptors -> System. Each blob is verified first and then read only through
// jcb::BlobView. The system blob gives the platform, the hypervisor, the root cell and the links;
// each cell blob adds one non-root cell, in input order. Source locations stay empty.
#include <fmt/format.h>

#include "binary/describe.hpp"
#include "confgen/binary.hpp"
#include "jailconf/blob_view.hpp"

namespace jailconf {
namespace {

using jcb::BlobView;

std::vector<IdRange> decode_ranges(const jcb::ElemSpan<jcb::RangeElem>& ranges) {
    std::vector<IdRange> out;
    for (const jcb::RangeElem r : ranges)
        out.push_back(IdRange{r.first.get(), r.last.get(), {}});
    return out;
}

Console decode_console(const jcb::ConsoleElem& c) {
    return Console{ConsoleType(c.type), c.base.get(), c.size.get(), {}};
}

PciDevice decode_pci_device(const BlobView& v, const jcb::PciDeviceElem& d) {
    PciDevice out;
    out.bdf = Bdf::from_packed(d.bdf.get());
    out.type = PciDeviceType(d.type);
    for (uint32_t i = 0; i < d.bar_count; ++i) {
        const jcb::PciBarElem& b = d.bars[i];
        out.bars.push_back(
            PciBar{b.index, BarType(b.type), b.addr.get(), b.size.get(), b.prefetchable != 0, {}});
    }
    for (const jcb::PciCapElem c : v.caps_of(d))
        out.caps.push_back(
            PciCap{c.id.get(), c.offset.get(), c.size.get(), c.extended != 0, c.writable != 0, {}});
    if (d.flags.get() & jcb::pci_has_msi)
        out.msi = PciMsi{d.msi.vectors.get(), d.msi.addr64 != 0, d.msi.maskable != 0, {}};
    if (d.flags.get() & jcb::pci_has_msix)
        out.msix = PciMsix{d.msix.vectors.get(), d.msix.table_bar,        d.msix.table_offset.get(),
                           d.msix.pba_bar,       d.msix.pba_offset.get(), {}};
    return out;
}

Cell decode_cell(const BlobView& v) {
    Cell cell;
    const jcb::CellElem c = v.cell();
    cell.name = v.string(c.name);
    cell.root = c.root != 0;
    cell.cpus = decode_ranges(v.cpus());
    for (const jcb::MemoryElem m : v.memory())
        cell.memory.push_back(MemoryRegion{v.string(m.name),
                                           PhysAddr{m.phys.get()},
                                           GuestAddr{m.virt.get()},
                                           m.size.get(),
                                           m.flags.get(),
                                           {}});
    cell.irqs = decode_ranges(v.irqs());
    for (const jcb::PciDeviceElem d : v.pci_devices())
        cell.pci_devices.push_back(decode_pci_device(v, d));
    for (const jcb::StreamIdElem s : v.stream_ids())
        cell.stream_ids.push_back(StreamId{s.id.get(), {}});
    for (const jcb::PioElem p : v.pio())
        cell.pio.push_back(PioRange{p.base.get(), p.size.get(), {}});
    if (v.has_console())
        cell.console = decode_console(v.console());
    if (v.has_watchdog())
        cell.watchdog = Watchdog{v.watchdog().timeout_ms.get(), {}};
    return cell;
}

Platform decode_platform(const BlobView& v) {
    Platform out;
    const jcb::PlatformElem p = v.platform();
    const uint32_t flags = p.flags.get();
    out.name = v.string(p.name);
    for (const jcb::PlatformCpuElem c : v.platform_cpus())
        out.cpus.push_back(PlatformCpu{c.id.get(), c.hw_id.get(), {}});
    if (flags & jcb::platform_has_irqchip) {
        IrqChip chip;
        chip.type = IrqChipType(p.irqchip_type);
        const auto get = [&](uint32_t flag, jcb::Le64 field) {
            return (flags & flag) ? std::optional<uint64_t>(field.get()) : std::nullopt;
        };
        chip.gicd = get(jcb::irqchip_has_gicd, p.gicd);
        chip.gicc = get(jcb::irqchip_has_gicc, p.gicc);
        chip.gich = get(jcb::irqchip_has_gich, p.gich);
        chip.gicv = get(jcb::irqchip_has_gicv, p.gicv);
        chip.gicr = get(jcb::irqchip_has_gicr, p.gicr);
        chip.gicr_stride = get(jcb::irqchip_has_gicr_stride, p.gicr_stride);
        chip.ioapic = get(jcb::irqchip_has_ioapic, p.ioapic);
        out.irqchip = chip;
    }
    if (flags & jcb::platform_has_pci)
        out.pci = PciHost{p.pci_ecam.get(), p.pci_ecam_size.get(), p.pci_bus_start,
                          p.pci_bus_end,    p.pci_segment.get(),   {}};
    for (const jcb::IommuElem m : v.iommus())
        out.iommus.push_back(Iommu{IommuType(m.type), m.base.get(), m.size.get(), {}});
    return out;
}

void decode_system(const BlobView& v, System& system) {
    system.arch = Arch(v.arch());
    system.platform = decode_platform(v);
    const jcb::HypervisorElem h = v.hypervisor();
    system.hypervisor.memory_phys = PhysAddr{h.memory_phys.get()};
    system.hypervisor.memory_size = h.memory_size.get();
    if (h.flags.get() & jcb::hypervisor_has_console)
        system.hypervisor.console = decode_console(h.console);
    system.cells.insert(system.cells.begin(), decode_cell(v));
    for (const jcb::LinkElem k : v.links()) {
        Link link;
        link.name = v.string(k.name);
        for (const jcb::LinkPeerElem p : v.peers_of(k))
            link.peers.push_back(LinkPeer{v.string(p.cell_name), {}});
        link.phys = PhysAddr{k.phys.get()};
        link.virt = GuestAddr{k.virt.get()};
        link.size = k.size.get();
        if (k.flags.get() & jcb::link_has_doorbell)
            link.doorbell_irq = k.doorbell_irq.get();
        system.links.push_back(std::move(link));
    }
}

} // namespace

Expected<System, std::string> decompile(std::span<const DecodeInput> blobs) {
    System system;
    const DecodeInput* system_input = nullptr;
    std::vector<const DecodeInput*> cell_sources; // parallel to the non-root cells
    jcb::BlobArch arch{};
    for (const DecodeInput& in : blobs) {
        BlobView v;
        if (jcb::VerifyResult r = BlobView::create(in.bytes.data(), in.bytes.size(), v); !r.ok())
            return Unexpected(fmt::format("{}: {}", in.name, binary::describe(r, in.bytes)));
        if (v.kind() == jcb::BlobKind::system) {
            if (system_input)
                return Unexpected(
                    fmt::format("{}: a second system blob (the first is {}); give exactly one",
                                in.name, system_input->name));
            system_input = &in;
            decode_system(v, system);
        } else {
            cell_sources.push_back(&in);
            system.cells.push_back(decode_cell(v));
        }
        if (&in != &blobs.front() && v.arch() != arch)
            return Unexpected(fmt::format("{}: architecture {} differs from {}'s {}", in.name,
                                          to_string(Arch(v.arch())), blobs.front().name,
                                          to_string(Arch(arch))));
        arch = v.arch();
    }
    if (!system_input)
        return Unexpected(std::string("no system blob among the inputs; give the one "
                                      "compile wrote to -o first"));
    // The root cell is first; cell_sources[i] made cells[i + 1].
    for (size_t i = 1; i < system.cells.size(); ++i)
        for (size_t j = 0; j < i; ++j)
            if (system.cells[i].name == system.cells[j].name)
                return Unexpected(fmt::format(
                    "{}: cell '{}' is already described by {}", cell_sources[i - 1]->name,
                    system.cells[i].name, j == 0 ? system_input->name : cell_sources[j - 1]->name));
    return system;
}

} // namespace jailconf
