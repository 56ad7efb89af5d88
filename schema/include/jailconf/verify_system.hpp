// Verifier, sections only a system blob carries: platform, platform CPUs, IOMMUs, hypervisor,
// links and their peers.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "jailconf/format.hpp"
#include "jailconf/gic_ranges.hpp"
#include "jailconf/layout.hpp"
#include "jailconf/verify_cell.hpp"
#include "jailconf/verify_common.hpp"

namespace jailconf::jcb {

// Each optional address of the interrupt controller: set only with its presence flag.
inline VerifyResult check_irqchip_addresses(uint32_t at, const PlatformElem& p) {
    const struct {
        uint32_t flag;
        size_t offset;
        Le64 value;
    } fields[] = {
        {irqchip_has_gicd, offsetof(PlatformElem, gicd), p.gicd},
        {irqchip_has_gicc, offsetof(PlatformElem, gicc), p.gicc},
        {irqchip_has_gich, offsetof(PlatformElem, gich), p.gich},
        {irqchip_has_gicv, offsetof(PlatformElem, gicv), p.gicv},
        {irqchip_has_gicr, offsetof(PlatformElem, gicr), p.gicr},
        {irqchip_has_gicr_stride, offsetof(PlatformElem, gicr_stride), p.gicr_stride},
        {irqchip_has_ioapic, offsetof(PlatformElem, ioapic), p.ioapic},
    };
    for (const auto& f : fields)
        if (!(p.flags.get() & f.flag) && f.value.get() != 0)
            return fail(VerifyError::absent_not_zero, SectionId::platform, at + uint32_t(f.offset),
                        f.value.get());
    return {};
}

inline VerifyResult verify_platform(const Layout& l) {
    constexpr SectionId s = SectionId::platform;
    const ElemSpan<PlatformElem> ps = elems<PlatformElem>(l, s);
    const PlatformElem p = ps[0];
    const uint32_t at = ps.offset_of(0);
    const uint32_t flags = p.flags.get();
    VerifyResult r = check_name_ref(l, s, at, p.name, false);
    if (r.ok())
        r = check_flags(s, at + offsetof(PlatformElem, flags), flags, platform_flags_all);
    if (r.ok())
        r = check_reserved(s, at + offsetof(PlatformElem, reserved0), &p.reserved0, 1);
    if (r.ok())
        r = check_reserved(s, at + offsetof(PlatformElem, reserved1), p.reserved1.b, 2);
    if (!r.ok())
        return r;
    if (flags & platform_has_irqchip) {
        r = check_enum(s, at + offsetof(PlatformElem, irqchip_type), p.irqchip_type,
                       irqchip_type_max);
    } else if (p.irqchip_type != 0) {
        r = fail(VerifyError::absent_not_zero, s, at + offsetof(PlatformElem, irqchip_type),
                 p.irqchip_type);
    } else if (flags & irqchip_address_flags) {
        r = fail(VerifyError::absent_not_zero, s, at + offsetof(PlatformElem, flags), flags);
    }
    if (r.ok())
        r = check_irqchip_addresses(at, p);
    if (!r.ok())
        return r;
    const uint64_t ecam = p.pci_ecam.get(), ecam_size = p.pci_ecam_size.get();
    if (!(flags & platform_has_pci)) {
        const struct {
            size_t offset;
            uint64_t value;
        } fields[] = {
            {offsetof(PlatformElem, pci_bus_start), p.pci_bus_start},
            {offsetof(PlatformElem, pci_bus_end), p.pci_bus_end},
            {offsetof(PlatformElem, pci_segment), p.pci_segment.get()},
            {offsetof(PlatformElem, pci_ecam), ecam},
            {offsetof(PlatformElem, pci_ecam_size), ecam_size},
        };
        for (const auto& f : fields)
            if (f.value != 0)
                return fail(VerifyError::absent_not_zero, s, at + uint32_t(f.offset), f.value);
        return {};
    }
    if (p.pci_bus_start > p.pci_bus_end)
        return fail(VerifyError::range_inverted, s, at + offsetof(PlatformElem, pci_bus_start),
                    p.pci_bus_start, p.pci_bus_end);
    return check_phys_range(s, at + offsetof(PlatformElem, pci_ecam), ecam,
                            at + offsetof(PlatformElem, pci_ecam_size), ecam_size, false);
}

inline VerifyResult verify_platform_cpus(const Layout& l) {
    constexpr SectionId s = SectionId::platform_cpus;
    const ElemSpan<PlatformCpuElem> cpus = elems<PlatformCpuElem>(l, s);
    for (uint32_t i = 0; i < cpus.size(); ++i) {
        const PlatformCpuElem c = cpus[i];
        const uint32_t id = c.id.get();
        if (id > limits::max_cpu_id)
            return fail(VerifyError::cpu_id_too_large, s, cpus.offset_of(i), id,
                        limits::max_cpu_id);
        if (i > 0 && id <= cpus[i - 1].id.get())
            return fail(VerifyError::not_ascending, s, cpus.offset_of(i), id, cpus[i - 1].id.get());
        if (VerifyResult r = check_reserved(
                s, cpus.offset_of(i, offsetof(PlatformCpuElem, reserved)), c.reserved.b, 4);
            !r.ok())
            return r;
    }
    return {};
}

inline VerifyResult verify_iommus(const Layout& l) {
    constexpr SectionId s = SectionId::iommus;
    const ElemSpan<IommuElem> iommus = elems<IommuElem>(l, s);
    for (uint32_t i = 0; i < iommus.size(); ++i) {
        const IommuElem m = iommus[i];
        const uint32_t at = iommus.offset_of(i);
        VerifyResult r = check_enum(s, at, m.type, iommu_type_max);
        if (r.ok())
            r = check_reserved(s, at + offsetof(IommuElem, reserved), m.reserved,
                               sizeof m.reserved);
        if (r.ok())
            r = check_phys_range(s, at + offsetof(IommuElem, base), m.base.get(),
                                 at + offsetof(IommuElem, size), m.size.get(), false);
        if (!r.ok())
            return r;
    }
    return {};
}

inline VerifyResult verify_hypervisor(const Layout& l) {
    constexpr SectionId s = SectionId::hypervisor;
    const ElemSpan<HypervisorElem> hs = elems<HypervisorElem>(l, s);
    const HypervisorElem h = hs[0];
    const uint32_t at = hs.offset_of(0);
    VerifyResult r =
        check_phys_range(s, at + offsetof(HypervisorElem, memory_phys), h.memory_phys.get(),
                         at + offsetof(HypervisorElem, memory_size), h.memory_size.get(), true);
    if (r.ok())
        r = check_flags(s, at + offsetof(HypervisorElem, flags), h.flags.get(),
                        hypervisor_flags_all);
    if (r.ok())
        r = check_reserved(s, at + offsetof(HypervisorElem, reserved), h.reserved.b, 4);
    if (!r.ok())
        return r;
    const uint32_t console_at = at + offsetof(HypervisorElem, console);
    if (h.flags.get() & hypervisor_has_console)
        return check_console(s, console_at, h.console);
    return check_absent_bytes(s, console_at, &h.console, sizeof h.console);
}

inline VerifyResult verify_link(const Layout& l, const ElemSpan<LinkElem>& links, uint32_t i,
                                uint32_t& next_peer) {
    constexpr SectionId s = SectionId::links;
    const LinkElem k = links[i];
    const uint32_t at = links.offset_of(i);
    const uint64_t size = k.size.get();
    VerifyResult r = check_name_ref(l, s, at + offsetof(LinkElem, name), k.name, true);
    if (r.ok())
        r = check_flags(s, at + offsetof(LinkElem, flags), k.flags.get(), link_flags_all);
    if (r.ok() && !(k.flags.get() & link_has_doorbell))
        r = check_absent(s, at + offsetof(LinkElem, doorbell_irq), k.doorbell_irq.get());
    if (r.ok())
        r = check_reserved(s, at + offsetof(LinkElem, reserved), k.reserved.b, 4);
    if (r.ok())
        r = check_phys_range(s, at, k.phys.get(), at + offsetof(LinkElem, size), size, true);
    if (r.ok())
        r = check_virt_range(s, at + offsetof(LinkElem, virt), k.virt.get(), size);
    if (r.ok() && k.peers_count.get() > limits::max_link_peers)
        r = fail(VerifyError::count_over_limit, s, at + offsetof(LinkElem, peers_count),
                 k.peers_count.get(), limits::max_link_peers);
    if (r.ok())
        r = check_slice(s, at + offsetof(LinkElem, peers_first), k.peers_first.get(),
                        k.peers_count.get(), l.section(SectionId::link_peers).count, next_peer);
    if (!r.ok())
        return r;
    for (uint32_t j = 0; j < i; ++j)
        if (same_name(l, links[j].name, k.name))
            return fail(VerifyError::duplicate_value, s, at + offsetof(LinkElem, name), j, i);
    return {};
}

// Peers of one link: named, each cell at most once.
inline VerifyResult verify_link_peers(const Layout& l, const LinkElem& k) {
    constexpr SectionId s = SectionId::link_peers;
    const ElemSpan<LinkPeerElem> peers =
        elems<LinkPeerElem>(l, s).slice(k.peers_first.get(), k.peers_count.get());
    for (uint32_t i = 0; i < peers.size(); ++i) {
        if (VerifyResult r = check_name_ref(l, s, peers.offset_of(i), peers[i].cell_name, true);
            !r.ok())
            return r;
        for (uint32_t j = 0; j < i; ++j)
            if (same_name(l, peers[j].cell_name, peers[i].cell_name))
                return fail(VerifyError::duplicate_value, s, peers.offset_of(i), j, i);
    }
    return {};
}

inline VerifyResult verify_links(const Layout& l) {
    const ElemSpan<LinkElem> links = elems<LinkElem>(l, SectionId::links);
    const uint32_t peers = l.section(SectionId::link_peers).count;
    uint32_t next_peer = 0;
    for (uint32_t i = 0; i < links.size(); ++i) {
        VerifyResult r = verify_link(l, links, i, next_peer);
        if (r.ok())
            r = verify_link_peers(l, links[i]);
        if (!r.ok())
            return r;
    }
    if (next_peer != peers) // peers that no link claims
        return fail(VerifyError::bad_slice, SectionId::link_peers,
                    l.section(SectionId::link_peers).offset, next_peer, peers);
    return {};
}

// No region of the root cell may map the platform's GIC (gic_ranges.hpp): the hypervisor owns the
// physical distributor and redistributors and emulates them for every cell. Reported at the
// region's phys field, with the region index and the GIC block.
inline VerifyResult verify_gic_not_mapped(const Layout& l) {
    const ElemSpan<PlatformElem> ps = elems<PlatformElem>(l, SectionId::platform);
    if (ps.empty())
        return {};
    const GicRanges gic =
        gic_ranges(gic_platform_of(ps[0], l.section(SectionId::platform_cpus).count));
    const ElemSpan<MemoryElem> mem = elems<MemoryElem>(l, SectionId::memory);
    for (uint32_t i = 0; i < mem.size(); ++i) {
        const MemoryElem m = mem[i];
        if (const GicRange* hit = gic_range_hit(gic, m.phys.get(), m.size.get()))
            return fail(VerifyError::gic_mapped, SectionId::memory,
                        mem.offset_of(i, offsetof(MemoryElem, phys)), i, uint64_t(hit->block));
    }
    return {};
}

// Sections 2..5 (platform to hypervisor); links come after the cell's sections in id order.
inline VerifyResult verify_system_head(const Layout& l) {
    VerifyResult r = verify_platform(l);
    if (r.ok())
        r = verify_platform_cpus(l);
    if (r.ok())
        r = verify_iommus(l);
    if (r.ok())
        r = verify_hypervisor(l);
    return r;
}

} // namespace jailconf::jcb
