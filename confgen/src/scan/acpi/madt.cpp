// MADT ("APIC"): the CPUs and the interrupt controllers.
//
// Logical CPU numbers follow the MADT order, as operating systems count them: every local APIC,
// x2APIC or GICC entry that is enabled, or (MADT revision >= 5 for APICs, >= 6 for GICCs) marked
// online-capable, gets the next number. Entries that are neither are listed afterwards with
// enabled = false and numbers after all usable ones, so usable CPUs keep their OS numbering.
#include <fmt/format.h>

#include <unordered_set>

#include "scan/acpi/table.hpp"

namespace jailconf::scan::acpi {

using inventory::Cpu;
using inventory::Region;
using inventory::Trigger;

namespace {

constexpr size_t kMadtFixed = 44; // header + local APIC address + flags
constexpr uint64_t kMpidrAffinityMask = 0xff00ffffffULL;
constexpr uint32_t kMadtFlagPcatCompat = 1u << 0;

// MADT interrupt flags (MPS INTI): polarity bits 1:0, trigger bits 3:2; "conforms to the bus" is
// the ISA default, edge-triggered active-high, the only bus an override may name.
Trigger decode_inti_flags(uint16_t flags) {
    const unsigned polarity = flags & 0x3;
    const unsigned trigger = (flags >> 2) & 0x3;
    if (polarity == 2 || trigger == 2) // reserved encodings: say nothing rather than guess
        return Trigger::unknown;
    const bool low = polarity == 3;
    const bool level = trigger == 3;
    if (level)
        return low ? Trigger::level_low : Trigger::level_high;
    return low ? Trigger::edge_falling : Trigger::edge_rising;
}

struct MadtCpus {
    std::vector<Cpu> usable;
    std::vector<Cpu> unusable;
    std::unordered_set<uint64_t> seen; // a set: a table may list tens of thousands of entries
    void add(uint64_t hw_id, bool enabled, bool online_capable, inventory::Origin origin) {
        seen.insert(hw_id);
        Cpu c;
        c.hw_id = hw_id;
        c.enabled = enabled;
        c.origin = std::move(origin);
        if (enabled || online_capable)
            usable.push_back(std::move(c));
        else
            unusable.push_back(std::move(c));
    }
    bool has(uint64_t hw_id) const { return seen.count(hw_id) != 0; }
};

struct GiccRedist {
    uint64_t base;
    bool enabled;
};

struct MadtGic {
    bool any = false;
    size_t first_any = 0; // offset of the first GIC entry of any kind
    std::optional<size_t> gicd_offset;
    std::optional<size_t> first_gicc_offset;
    uint8_t version = 0;
    std::vector<GiccRedist> gicc_redists;
    inventory::Gic gic;
};

} // namespace

ParseResult parse_madt(const Table& t, ScanState& s) {
    if (t.bytes.size() < kMadtFixed)
        return Unexpected(t.malformed(kHeaderSize, fmt::format("MADT is {} bytes, ends before its "
                                                               "local APIC address and flags ({})",
                                                               t.bytes.size(), kMadtFixed)));
    const bool apic_online_capable_defined = t.header.revision >= 5;
    const bool gicc_online_capable_defined = t.header.revision >= 6;
    inventory::Apic apic;
    apic.local_apic_base = u32(t.bytes, 36);
    apic.pcat_compat = (u32(t.bytes, 40) & kMadtFlagPcatCompat) != 0;
    bool saw_apic_entry = false;
    MadtCpus cpus;
    MadtGic g;

    auto r = for_each_subtable(
        t, kMadtFixed, SubtableLayout{1, 1, 1}, "MADT",
        [&](size_t off, uint32_t type, size_t len) -> ParseResult {
            const std::string_view b = t.bytes;
            switch (type) {
            case 0x0: { // Processor Local APIC
                if (auto c = check_structure(t, off, len, 8, "MADT local APIC entry"); !c)
                    return c;
                saw_apic_entry = true;
                const uint8_t id = u8(b, off + 3);
                const uint32_t flags = u32(b, off + 4);
                if (id == 0xff) // the broadcast id marks a placeholder, never a CPU
                    return Ok{};
                cpus.add(id, flags & 1, apic_online_capable_defined && (flags & 2), t.origin(off));
                return Ok{};
            }
            case 0x1: { // I/O APIC
                if (auto c = check_structure(t, off, len, 12, "MADT I/O APIC entry"); !c)
                    return c;
                saw_apic_entry = true;
                inventory::IoApic io;
                io.id = u8(b, off + 2);
                io.base = u32(b, off + 4);
                io.gsi_base = u32(b, off + 8);
                io.origin = t.origin(off);
                apic.ioapics.push_back(std::move(io));
                return Ok{};
            }
            case 0x2: { // Interrupt Source Override
                if (auto c = check_structure(t, off, len, 10, "MADT interrupt source override"); !c)
                    return c;
                saw_apic_entry = true;
                inventory::IrqOverride o;
                o.bus = u8(b, off + 2);
                o.source = u8(b, off + 3);
                o.gsi = u32(b, off + 4);
                o.trigger = decode_inti_flags(u16(b, off + 8));
                o.origin = t.origin(off);
                apic.overrides.push_back(std::move(o));
                return Ok{};
            }
            case 0x5: { // Local APIC Address Override: the 64-bit address replaces the 32-bit one
                if (auto c = check_structure(t, off, len, 12, "MADT local APIC address override");
                    !c)
                    return c;
                apic.local_apic_base = u64(b, off + 4);
                return Ok{};
            }
            case 0x9: { // Processor Local x2APIC
                if (auto c = check_structure(t, off, len, 16, "MADT local x2APIC entry"); !c)
                    return c;
                saw_apic_entry = true;
                const uint32_t id = u32(b, off + 4);
                const uint32_t flags = u32(b, off + 8);
                // Firmware may describe a CPU both ways; the first entry decides its number.
                if (id == 0xffffffffu || cpus.has(id))
                    return Ok{};
                cpus.add(id, flags & 1, apic_online_capable_defined && (flags & 2), t.origin(off));
                return Ok{};
            }
            case 0xB: { // GIC CPU interface (GICC), ACPI 5.1 layout is the shortest (76 bytes)
                if (auto c = check_structure(t, off, len, 76, "MADT GICC entry"); !c)
                    return c;
                if (!g.any)
                    g.first_any = off;
                g.any = true;
                const uint32_t uid = u32(b, off + 8);
                const uint32_t flags = u32(b, off + 12);
                const uint64_t mpidr = u64(b, off + 68) & kMpidrAffinityMask;
                const bool enabled = flags & 1;
                cpus.add(mpidr, enabled, gicc_online_capable_defined && (flags & 8), t.origin(off));
                s.gicc_uid_to_mpidr.emplace(uid, mpidr); // the first entry of a UID counts
                if (!g.first_gicc_offset) {
                    g.first_gicc_offset = off;
                    if (const uint64_t gicc = u64(b, off + 32))
                        g.gic.cpu_interface = Region{gicc, 0x2000};
                    if (const uint64_t gicv = u64(b, off + 40))
                        g.gic.vcpu_interface = Region{gicv, 0x2000};
                    if (const uint64_t gich = u64(b, off + 48))
                        g.gic.hyp_interface = Region{gich, 0x2000};
                    g.gic.maintenance_irq = u32(b, off + 56);
                }
                if (const uint64_t gicr = u64(b, off + 60))
                    g.gicc_redists.push_back(GiccRedist{gicr, enabled});
                return Ok{};
            }
            case 0xC: { // GIC distributor (GICD)
                if (auto c = check_structure(t, off, len, 24, "MADT GICD entry"); !c)
                    return c;
                if (g.gicd_offset)
                    return Unexpected(t.malformed(
                        off, fmt::format("second GIC distributor entry (the first is at 0x{:x}); "
                                         "a system has exactly one",
                                         *g.gicd_offset)));
                if (!g.any)
                    g.first_any = off;
                g.any = true;
                g.gicd_offset = off;
                g.gic.distributor.base = u64(b, off + 8);
                g.version = u8(b, off + 20);
                return Ok{};
            }
            case 0xE: { // GIC redistributor range (GICR)
                if (auto c = check_structure(t, off, len, 16, "MADT GICR entry"); !c)
                    return c;
                if (!g.any)
                    g.first_any = off;
                g.any = true;
                g.gic.redistributors.push_back(Region{u64(b, off + 4), u32(b, off + 12)});
                return Ok{};
            }
            case 0xF: { // GIC interrupt translation service (ITS)
                if (auto c = check_structure(t, off, len, 20, "MADT GIC ITS entry"); !c)
                    return c;
                if (!g.any)
                    g.first_any = off;
                g.any = true;
                inventory::Its its;
                its.id = u32(b, off + 4);
                its.region = Region{u64(b, off + 8), 0x20000}; // control + translation frames
                its.origin = t.origin(off);
                g.gic.its.push_back(std::move(its));
                return Ok{};
            }
            default: // NMI sources, SAPIC, MSI frames, ... carry nothing the inventory keeps
                return Ok{};
            }
        });
    if (!r)
        return r;

    for (auto& c : cpus.usable) {
        c.id = static_cast<uint32_t>(s.inv.cpus.size());
        s.inv.cpus.push_back(std::move(c));
    }
    for (auto& c : cpus.unusable) {
        c.id = static_cast<uint32_t>(s.inv.cpus.size());
        s.inv.cpus.push_back(std::move(c));
    }

    if (saw_apic_entry) {
        s.saw_x86_interrupt_model = true;
        s.inv.apic = std::move(apic);
    }
    if (g.any) {
        s.saw_gic = true;
        // Version 0 means "find out from the hardware"; redistributors only exist from GICv3 on.
        switch (g.version) {
        case 1:
        case 2:
            g.gic.type = "gicv2";
            break;
        case 3:
            g.gic.type = "gicv3";
            break;
        case 4:
            g.gic.type = "gicv4";
            break;
        default:
            g.gic.type =
                (!g.gic.redistributors.empty() || !g.gicc_redists.empty()) ? "gicv3" : "gicv2";
            break;
        }
        const bool v2 = g.gic.type == "gicv2";
        g.gic.distributor.size = g.gic.distributor.base == 0 ? 0 : (v2 ? 0x1000 : 0x10000);
        // Without GICR range entries each GICC names its CPU's redistributor frame (one frame
        // pair: 128 KiB on GICv3, 256 KiB with the GICv4 vLPI frames).
        if (g.gic.redistributors.empty()) {
            const uint64_t frame = g.gic.type == "gicv4" ? 0x40000 : 0x20000;
            for (const auto& gr : g.gicc_redists)
                if (gr.enabled)
                    g.gic.redistributors.push_back(Region{gr.base, frame});
            g.gic.redistributor_stride = g.gicc_redists.empty() ? 0 : frame;
        }
        g.gic.origin = t.origin(g.gicd_offset.value_or(g.first_gicc_offset.value_or(g.first_any)));
        s.inv.gic = std::move(g.gic);
    }
    return Ok{};
}

} // namespace jailconf::scan::acpi
