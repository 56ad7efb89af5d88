// compile(): System -> descriptors. The system blob carries the platform, the hypervisor, the
// root cell and all links; each non-root cell gets a blob of its own. Every blob is run through
// the verifier before it is returned.
#include <algorithm>
#include <fmt/format.h>
#include <initializer_list>
#include <optional>

#include "binary/blob_builder.hpp"
#include "binary/describe.hpp"
#include "binary/limits_check.hpp"
#include "confgen/binary.hpp"
#include "jailconf/format.hpp"
#include "jailconf/limits.hpp"
#include "jailconf/verify.hpp"

namespace jailconf {
namespace {

// The descriptor stores the model's enum values unchanged.
template <class Model, class Format>
constexpr bool same_values(std::initializer_list<Model> values, std::initializer_list<Format> f) {
    auto it = f.begin();
    for (Model v : values)
        if (uint8_t(v) != uint8_t(*it++))
            return false;
    return values.size() == f.size();
}
static_assert(same_values({Arch::arm64, Arch::x86_64, Arch::arm32},
                          {jcb::BlobArch::arm64, jcb::BlobArch::x86_64, jcb::BlobArch::arm32}));
static_assert(same_values({ConsoleType::pl011, ConsoleType::ns16550, ConsoleType::ns16550_pio},
                          {jcb::ConsoleType::pl011, jcb::ConsoleType::ns16550,
                           jcb::ConsoleType::ns16550_pio}));
static_assert(same_values({IrqChipType::gicv2, IrqChipType::gicv3, IrqChipType::apic},
                          {jcb::IrqChipType::gicv2, jcb::IrqChipType::gicv3,
                           jcb::IrqChipType::apic}));
static_assert(same_values({IommuType::smmuv2, IommuType::smmuv3, IommuType::vtd, IommuType::amd_vi},
                          {jcb::IommuType::smmuv2, jcb::IommuType::smmuv3, jcb::IommuType::vtd,
                           jcb::IommuType::amd_vi}));
static_assert(same_values({BarType::mem32, BarType::mem64, BarType::io},
                          {jcb::BarType::mem32, jcb::BarType::mem64, jcb::BarType::io}));
static_assert(same_values({PciDeviceType::device, PciDeviceType::bridge},
                          {jcb::PciDeviceType::device, jcb::PciDeviceType::bridge}));
using binary::BlobBuilder;
using binary::StringTable;
using jcb::SectionId;

struct CellSections {
    jcb::CellElem cell{};
    std::vector<jcb::RangeElem> cpus, irqs;
    std::vector<jcb::MemoryElem> memory;
    std::vector<jcb::PciDeviceElem> pci_devices;
    std::vector<jcb::PciCapElem> pci_caps;
    std::vector<jcb::StreamIdElem> stream_ids;
    std::vector<jcb::PioElem> pio;
    std::vector<jcb::ConsoleElem> console;   // zero or one
    std::vector<jcb::WatchdogElem> watchdog; // zero or one
};

std::vector<jcb::RangeElem> encode_ranges(const std::vector<IdRange>& ranges) {
    std::vector<jcb::RangeElem> out;
    for (const IdRange& r : binary::canonical_ranges(ranges))
        out.push_back(jcb::RangeElem{jcb::Le32::of(r.first), jcb::Le32::of(r.last)});
    return out;
}

jcb::ConsoleElem encode_console(const Console& c) {
    jcb::ConsoleElem e{};
    e.type = uint8_t(c.type);
    e.base.set(c.base);
    e.size.set(c.size);
    return e;
}

jcb::PciDeviceElem encode_pci_device(const PciDevice& d, uint32_t caps_first) {
    jcb::PciDeviceElem e{};
    e.bdf.set(d.bdf.packed());
    e.type = uint8_t(d.type);
    e.bar_count = uint8_t(d.bars.size()); // at most pci_max_bars (check_encodable)
    e.caps_first.set(caps_first);
    e.caps_count.set(uint32_t(d.caps.size()));
    for (size_t i = 0; i < d.bars.size(); ++i) {
        const PciBar& b = d.bars[i];
        e.bars[i].index = b.index;
        e.bars[i].type = uint8_t(b.type);
        e.bars[i].prefetchable = b.prefetchable;
        e.bars[i].addr.set(b.addr);
        e.bars[i].size.set(b.size);
    }
    uint16_t flags = 0;
    if (d.msi) {
        flags |= jcb::pci_has_msi;
        e.msi.vectors.set(d.msi->vectors);
        e.msi.addr64 = d.msi->addr64;
        e.msi.maskable = d.msi->maskable;
    }
    if (d.msix) {
        flags |= jcb::pci_has_msix;
        e.msix.vectors.set(d.msix->vectors);
        e.msix.table_bar = d.msix->table_bar;
        e.msix.table_offset.set(d.msix->table_offset);
        e.msix.pba_bar = d.msix->pba_bar;
        e.msix.pba_offset.set(d.msix->pba_offset);
    }
    e.flags.set(flags);
    return e;
}

CellSections encode_cell(const Cell& cell, StringTable& strings) {
    CellSections s;
    s.cell.name = strings.intern(cell.name);
    s.cell.root = cell.root;
    s.cpus = encode_ranges(cell.cpus);
    for (const MemoryRegion& m : cell.memory) {
        jcb::MemoryElem e{};
        e.phys.set(m.phys.value);
        e.virt.set(m.virt.value);
        e.size.set(m.size);
        e.flags.set(m.flags);
        e.name = strings.intern(m.name);
        s.memory.push_back(e);
    }
    s.irqs = encode_ranges(cell.irqs);
    for (const PciDevice& d : cell.pci_devices) {
        s.pci_devices.push_back(encode_pci_device(d, uint32_t(s.pci_caps.size())));
        for (const PciCap& c : d.caps) {
            jcb::PciCapElem e{};
            e.id.set(c.id);
            e.offset.set(c.offset);
            e.size.set(c.size);
            e.extended = c.extended;
            e.writable = c.writable;
            s.pci_caps.push_back(e);
        }
    }
    for (const StreamId& sid : cell.stream_ids)
        s.stream_ids.push_back(jcb::StreamIdElem{jcb::Le32::of(sid.id)});
    for (const PioRange& p : cell.pio) {
        jcb::PioElem e{};
        e.base.set(p.base);
        e.size.set(p.size);
        s.pio.push_back(e);
    }
    if (cell.console)
        s.console.push_back(encode_console(*cell.console));
    if (cell.watchdog)
        s.watchdog.push_back(jcb::WatchdogElem{jcb::Le32::of(cell.watchdog->timeout_ms), {}});
    return s;
}

void add_cell_sections(BlobBuilder& b, const CellSections& s) {
    b.add_one(SectionId::cell, s.cell);
    b.add(SectionId::cpus, s.cpus);
    b.add(SectionId::memory, s.memory);
    b.add(SectionId::irqs, s.irqs);
    b.add(SectionId::pci_devices, s.pci_devices);
    b.add(SectionId::pci_caps, s.pci_caps);
    b.add(SectionId::stream_ids, s.stream_ids);
    b.add(SectionId::pio, s.pio);
    b.add(SectionId::console, s.console);
    b.add(SectionId::watchdog, s.watchdog);
}

jcb::PlatformElem encode_platform(const Platform& p, StringTable& strings) {
    jcb::PlatformElem e{};
    e.name = strings.intern(p.name);
    uint32_t flags = 0;
    if (const auto& chip = p.irqchip) {
        flags |= jcb::platform_has_irqchip;
        e.irqchip_type = uint8_t(chip->type);
        const auto put = [&](const std::optional<uint64_t>& v, uint32_t flag, jcb::Le64& field) {
            if (v) {
                flags |= flag;
                field.set(*v);
            }
        };
        put(chip->gicd, jcb::irqchip_has_gicd, e.gicd);
        put(chip->gicc, jcb::irqchip_has_gicc, e.gicc);
        put(chip->gich, jcb::irqchip_has_gich, e.gich);
        put(chip->gicv, jcb::irqchip_has_gicv, e.gicv);
        put(chip->gicr, jcb::irqchip_has_gicr, e.gicr);
        put(chip->gicr_stride, jcb::irqchip_has_gicr_stride, e.gicr_stride);
        put(chip->ioapic, jcb::irqchip_has_ioapic, e.ioapic);
    }
    if (const auto& pci = p.pci) {
        flags |= jcb::platform_has_pci;
        e.pci_bus_start = pci->bus_start;
        e.pci_bus_end = pci->bus_end;
        e.pci_segment.set(pci->segment);
        e.pci_ecam.set(pci->ecam);
        e.pci_ecam_size.set(pci->ecam_size);
    }
    e.flags.set(flags);
    return e;
}

jcb::HypervisorElem encode_hypervisor(const Hypervisor& h) {
    jcb::HypervisorElem e{};
    e.memory_phys.set(h.memory_phys.value);
    e.memory_size.set(h.memory_size);
    if (h.console) {
        e.flags.set(jcb::hypervisor_has_console);
        e.console = encode_console(*h.console);
    }
    return e;
}

// Link names first, then all peers, so that strings appear in the order the sections use them.
void encode_links(const std::vector<Link>& links, StringTable& strings,
                  std::vector<jcb::LinkElem>& out, std::vector<jcb::LinkPeerElem>& peers) {
    for (const Link& k : links) {
        jcb::LinkElem e{};
        e.phys.set(k.phys.value);
        e.virt.set(k.virt.value);
        e.size.set(k.size);
        e.name = strings.intern(k.name);
        if (k.doorbell_irq) {
            e.flags.set(jcb::link_has_doorbell);
            e.doorbell_irq.set(*k.doorbell_irq);
        }
        e.peers_first.set(uint32_t(peers.size()));
        e.peers_count.set(uint32_t(k.peers.size()));
        peers.resize(peers.size() + k.peers.size());
        out.push_back(e);
    }
    size_t next = 0;
    for (const Link& k : links)
        for (const LinkPeer& p : k.peers)
            peers[next++].cell_name = strings.intern(p.cell);
}

Expected<Blob, std::string> finish(const BlobBuilder& builder, const StringTable& strings,
                                   Arch arch, Blob::Kind kind, const std::string& cell) {
    const std::string what = kind == Blob::Kind::system
                                 ? fmt::format("system blob (root cell '{}')", cell)
                                 : fmt::format("cell blob '{}'", cell);
    if (strings.bytes().size() > limits::max_string_table)
        return Unexpected(fmt::format("{}: names take {} bytes, the descriptor limit is {}", what,
                                      strings.bytes().size(), limits::max_string_table));
    Blob blob{kind, cell,
              builder.finish(jcb::BlobArch(arch), kind == Blob::Kind::system
                                                      ? jcb::BlobKind::system
                                                      : jcb::BlobKind::cell)};
    const jcb::VerifyResult r = jcb::verify(blob.bytes.data(), blob.bytes.size());
    if (!r.ok())
        return Unexpected(
            fmt::format("{} does not verify: {}", what, binary::describe(r, blob.bytes)));
    return blob;
}

} // namespace

Expected<std::vector<Blob>, std::string> compile(const System& system) {
    if (std::vector<std::string> findings = binary::check_encodable(system); !findings.empty()) {
        std::string text;
        for (const std::string& f : findings)
            text += (text.empty() ? "" : "\n") + f;
        return Unexpected(text);
    }
    const Cell& root = *system.root_cell();
    std::vector<Blob> blobs;

    StringTable strings;
    BlobBuilder builder;
    const jcb::PlatformElem platform = encode_platform(system.platform, strings);
    const CellSections root_sections = encode_cell(root, strings);
    std::vector<jcb::PlatformCpuElem> cpus;
    for (const PlatformCpu& c : system.platform.cpus)
        cpus.push_back(jcb::PlatformCpuElem{jcb::Le32::of(c.id), {}, jcb::Le64::of(c.hw_id)});
    std::ranges::sort(cpus, {}, [](const jcb::PlatformCpuElem& c) { return c.id.get(); });
    std::vector<jcb::IommuElem> iommus;
    for (const Iommu& m : system.platform.iommus)
        iommus.push_back(
            jcb::IommuElem{uint8_t(m.type), {}, jcb::Le64::of(m.base), jcb::Le64::of(m.size)});
    std::vector<jcb::LinkElem> links;
    std::vector<jcb::LinkPeerElem> peers;
    encode_links(system.links, strings, links, peers);

    builder.add_strings(strings);
    builder.add_one(SectionId::platform, platform);
    builder.add(SectionId::platform_cpus, cpus);
    builder.add(SectionId::iommus, iommus);
    builder.add_one(SectionId::hypervisor, encode_hypervisor(system.hypervisor));
    add_cell_sections(builder, root_sections);
    builder.add(SectionId::links, links);
    builder.add(SectionId::link_peers, peers);
    auto system_blob = finish(builder, strings, system.arch, Blob::Kind::system, root.name);
    if (!system_blob)
        return Unexpected(system_blob.error());
    blobs.push_back(std::move(*system_blob));

    for (const Cell& cell : system.cells) {
        if (cell.root)
            continue;
        StringTable cell_strings;
        BlobBuilder cell_builder;
        const CellSections sections = encode_cell(cell, cell_strings);
        cell_builder.add_strings(cell_strings);
        add_cell_sections(cell_builder, sections);
        auto blob = finish(cell_builder, cell_strings, system.arch, Blob::Kind::cell, cell.name);
        if (!blob)
            return Unexpected(blob.error());
        blobs.push_back(std::move(*blob));
    }
    return blobs;
}

} // namespace jailconf
