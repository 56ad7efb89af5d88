// Verifier, per-cell sections: the cell itself, its CPUs, memory, interrupts, PCI devices and
// capabilities, stream ids, port I/O, console and watchdog. Shared by system and cell blobs.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "jailconf/format.hpp"
#include "jailconf/layout.hpp"
#include "jailconf/verify_common.hpp"

namespace jailconf::jcb {

inline VerifyResult verify_cell_elem(const Layout& l) {
    constexpr SectionId s = SectionId::cell;
    const ElemSpan<CellElem> cells = elems<CellElem>(l, s);
    const CellElem c = cells[0];
    VerifyResult r = check_name_ref(l, s, cells.offset_of(0), c.name, true);
    if (r.ok())
        r = check_bool(s, cells.offset_of(0, offsetof(CellElem, root)), c.root);
    if (!r.ok())
        return r;
    const uint8_t expected = l.kind == BlobKind::system ? 1 : 0;
    if (c.root != expected)
        return fail(VerifyError::bad_root, s, cells.offset_of(0, offsetof(CellElem, root)), c.root,
                    expected);
    return check_reserved(s, cells.offset_of(0, offsetof(CellElem, reserved)), c.reserved,
                          sizeof(c.reserved));
}

// Each region valid on its own, then no two overlap physically or in the guest. Quadratic, but
// the count is bounded by limits::max_memory_regions.
inline VerifyResult verify_memory(const Layout& l) {
    constexpr SectionId s = SectionId::memory;
    const ElemSpan<MemoryElem> mem = elems<MemoryElem>(l, s);
    for (uint32_t i = 0; i < mem.size(); ++i) {
        const MemoryElem m = mem[i];
        const uint32_t phys_at = mem.offset_of(i, offsetof(MemoryElem, phys));
        const uint32_t virt_at = mem.offset_of(i, offsetof(MemoryElem, virt));
        const uint64_t phys = m.phys.get(), virt = m.virt.get(), size = m.size.get();
        VerifyResult r = check_flags(s, mem.offset_of(i, offsetof(MemoryElem, flags)),
                                     m.flags.get(), mem_flags_all);
        if (r.ok())
            r = check_name_ref(l, s, mem.offset_of(i, offsetof(MemoryElem, name)), m.name, false);
        if (r.ok())
            r = check_phys_range(s, phys_at, phys, mem.offset_of(i, offsetof(MemoryElem, size)),
                                 size, true);
        if (r.ok())
            r = check_virt_range(s, virt_at, virt, size);
        if (!r.ok())
            return r;
        for (uint32_t j = 0; j < i; ++j) {
            const MemoryElem o = mem[j];
            if (ranges_intersect(o.phys.get(), o.size.get(), phys, size))
                return fail(VerifyError::phys_overlap, s, phys_at, j, i);
            if (ranges_intersect(o.virt.get(), o.size.get(), virt, size))
                return fail(VerifyError::virt_overlap, s, virt_at, j, i);
        }
    }
    return {};
}

// BARs [0, bar_count) valid and not sharing an index (a mem64 BAR takes two); the rest zero.
inline VerifyResult verify_pci_bars(const ElemSpan<PciDeviceElem>& devs, uint32_t i,
                                    const PciDeviceElem& d) {
    constexpr SectionId s = SectionId::pci_devices;
    if (d.bar_count > pci_max_bars)
        return fail(VerifyError::count_over_limit, s,
                    devs.offset_of(i, offsetof(PciDeviceElem, bar_count)), d.bar_count,
                    pci_max_bars);
    uint32_t used = 0; // bit n: BAR index n is taken
    for (uint32_t k = 0; k < pci_max_bars; ++k) {
        const PciBarElem& b = d.bars[k];
        const uint32_t at = devs.offset_of(i, offsetof(PciDeviceElem, bars) + k * sizeof(b));
        if (k >= d.bar_count) {
            if (VerifyResult r = check_absent_bytes(s, at, &b, sizeof b); !r.ok())
                return r;
            continue;
        }
        VerifyResult r = check_enum(s, at + offsetof(PciBarElem, type), b.type, bar_type_max);
        if (r.ok())
            r = check_bool(s, at + offsetof(PciBarElem, prefetchable), b.prefetchable);
        if (r.ok())
            r = check_reserved(s, at + offsetof(PciBarElem, reserved), b.reserved,
                               sizeof b.reserved);
        if (!r.ok())
            return r;
        const uint32_t span = b.type == bar_type_mem64 ? 2 : 1;
        if (b.index + span > pci_max_bars)
            return fail(VerifyError::bar_index_out_of_range, s, at, b.index);
        const uint32_t bits = ((1u << span) - 1) << b.index;
        if (used & bits)
            return fail(VerifyError::bar_index_duplicate, s, at, b.index);
        used |= bits;
        if (b.size.get() != 0 && wraps(b.addr.get(), b.size.get()))
            return fail(VerifyError::phys_overflow, s, at + offsetof(PciBarElem, addr),
                        b.addr.get(), b.size.get());
    }
    return {};
}

inline VerifyResult verify_pci_msi(const ElemSpan<PciDeviceElem>& devs, uint32_t i,
                                   const PciDeviceElem& d) {
    constexpr SectionId s = SectionId::pci_devices;
    const uint32_t msi_at = devs.offset_of(i, offsetof(PciDeviceElem, msi));
    const uint32_t msix_at = devs.offset_of(i, offsetof(PciDeviceElem, msix));
    VerifyResult r;
    if (d.flags.get() & pci_has_msi) {
        r = check_bool(s, msi_at + offsetof(PciMsiElem, addr64), d.msi.addr64);
        if (r.ok())
            r = check_bool(s, msi_at + offsetof(PciMsiElem, maskable), d.msi.maskable);
        if (r.ok())
            r = check_reserved(s, msi_at + offsetof(PciMsiElem, reserved), d.msi.reserved,
                               sizeof d.msi.reserved);
    } else {
        r = check_absent_bytes(s, msi_at, &d.msi, sizeof d.msi);
    }
    if (!r.ok())
        return r;
    if (!(d.flags.get() & pci_has_msix))
        return check_absent_bytes(s, msix_at, &d.msix, sizeof d.msix);
    if (d.msix.table_bar >= pci_max_bars)
        return fail(VerifyError::bar_index_out_of_range, s,
                    msix_at + offsetof(PciMsixElem, table_bar), d.msix.table_bar);
    if (d.msix.pba_bar >= pci_max_bars)
        return fail(VerifyError::bar_index_out_of_range, s,
                    msix_at + offsetof(PciMsixElem, pba_bar), d.msix.pba_bar);
    return check_reserved(s, msix_at + offsetof(PciMsixElem, reserved), d.msix.reserved.b, 4);
}

inline VerifyResult verify_pci_devices(const Layout& l) {
    constexpr SectionId s = SectionId::pci_devices;
    const ElemSpan<PciDeviceElem> devs = elems<PciDeviceElem>(l, s);
    const uint32_t caps = l.section(SectionId::pci_caps).count;
    uint32_t next_cap = 0;
    for (uint32_t i = 0; i < devs.size(); ++i) {
        const PciDeviceElem d = devs[i];
        VerifyResult r = check_enum(s, devs.offset_of(i, offsetof(PciDeviceElem, type)), d.type,
                                    pci_device_type_max);
        if (r.ok())
            r = check_flags(s, devs.offset_of(i, offsetof(PciDeviceElem, flags)), d.flags.get(),
                            pci_device_flags_all);
        if (r.ok())
            r = check_slice(s, devs.offset_of(i, offsetof(PciDeviceElem, caps_first)),
                            d.caps_first.get(), d.caps_count.get(), caps, next_cap);
        if (r.ok())
            r = verify_pci_bars(devs, i, d);
        if (r.ok())
            r = verify_pci_msi(devs, i, d);
        if (!r.ok())
            return r;
        for (uint32_t j = 0; j < i; ++j)
            if (devs[j].bdf.get() == d.bdf.get())
                return fail(VerifyError::duplicate_value, s, devs.offset_of(i), j, i);
    }
    if (next_cap != caps) // capabilities that no device claims
        return fail(VerifyError::bad_slice, SectionId::pci_caps,
                    l.section(SectionId::pci_caps).offset, next_cap, caps);
    return {};
}

// Within the 4 KiB config space; extended capabilities exactly those above the legacy 256 bytes.
inline VerifyResult verify_pci_caps(const Layout& l) {
    constexpr SectionId s = SectionId::pci_caps;
    const ElemSpan<PciCapElem> caps = elems<PciCapElem>(l, s);
    for (uint32_t i = 0; i < caps.size(); ++i) {
        const PciCapElem c = caps[i];
        VerifyResult r =
            check_bool(s, caps.offset_of(i, offsetof(PciCapElem, extended)), c.extended);
        if (r.ok())
            r = check_bool(s, caps.offset_of(i, offsetof(PciCapElem, writable)), c.writable);
        if (!r.ok())
            return r;
        const uint32_t offset = c.offset.get(), size = c.size.get();
        const bool in_space =
            offset + size <= 0x1000 && (c.extended ? offset >= 0x100 : offset + size <= 0x100);
        if (!in_space)
            return fail(VerifyError::bad_pci_cap, s,
                        caps.offset_of(i, offsetof(PciCapElem, offset)), offset, size);
    }
    return {};
}

inline VerifyResult verify_stream_ids(const Layout& l) {
    const ElemSpan<StreamIdElem> ids = elems<StreamIdElem>(l, SectionId::stream_ids);
    for (uint32_t i = 0; i < ids.size(); ++i)
        for (uint32_t j = 0; j < i; ++j)
            if (ids[j].id.get() == ids[i].id.get())
                return fail(VerifyError::duplicate_value, SectionId::stream_ids, ids.offset_of(i),
                            j, i);
    return {};
}

inline VerifyResult verify_pio(const Layout& l) {
    constexpr SectionId s = SectionId::pio;
    const ElemSpan<PioElem> pio = elems<PioElem>(l, s);
    for (uint32_t i = 0; i < pio.size(); ++i) {
        const PioElem p = pio[i];
        if (VerifyResult r =
                check_reserved(s, pio.offset_of(i, offsetof(PioElem, reserved)), p.reserved.b, 2);
            !r.ok())
            return r;
        const uint32_t base = p.base.get(), size = p.size.get();
        if (size == 0 || size > 0x10000 - base)
            return fail(VerifyError::bad_pio_range, s, pio.offset_of(i), base, size);
    }
    return {};
}

// A console element (the console section, or the one embedded in the hypervisor element).
inline VerifyResult check_console(SectionId s, uint32_t at, const ConsoleElem& c) {
    VerifyResult r = check_enum(s, at, c.type, console_type_max);
    if (r.ok())
        r = check_reserved(s, at + offsetof(ConsoleElem, reserved), c.reserved, sizeof c.reserved);
    if (r.ok() && c.size.get() != 0 && wraps(c.base.get(), c.size.get()))
        r = fail(VerifyError::phys_overflow, s, at + offsetof(ConsoleElem, base), c.base.get(),
                 c.size.get());
    return r;
}

inline VerifyResult verify_cell_sections(const Layout& l) {
    VerifyResult r = verify_cell_elem(l);
    if (r.ok())
        r = check_id_ranges(l, SectionId::cpus, limits::max_cpu_id, VerifyError::cpu_id_too_large);
    if (r.ok())
        r = verify_memory(l);
    if (r.ok())
        r = check_id_ranges(l, SectionId::irqs, 0xffffffffu, VerifyError::ok);
    if (r.ok())
        r = verify_pci_devices(l);
    if (r.ok())
        r = verify_pci_caps(l);
    if (r.ok())
        r = verify_stream_ids(l);
    if (r.ok())
        r = verify_pio(l);
    if (!r.ok())
        return r;
    if (const ElemSpan<ConsoleElem> c = elems<ConsoleElem>(l, SectionId::console); !c.empty())
        if (r = check_console(SectionId::console, c.offset_of(0), c[0]); !r.ok())
            return r;
    if (const ElemSpan<WatchdogElem> w = elems<WatchdogElem>(l, SectionId::watchdog); !w.empty()) {
        if (w[0].timeout_ms.get() == 0)
            return fail(VerifyError::zero_timeout, SectionId::watchdog, w.offset_of(0));
        return check_reserved(SectionId::watchdog, w.offset_of(0, offsetof(WatchdogElem, reserved)),
                              w[0].reserved.b, 4);
    }
    return {};
}

} // namespace jailconf::jcb
