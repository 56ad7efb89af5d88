#include "core/gic/virtual_gic.hpp"

namespace hv::gic {
namespace {

// Registers with one bit per interrupt: the set/clear pairs the distributor forwards.
struct BitRegister {
    uint32_t base;
    const char* what;
};
constexpr BitRegister bit_registers[] = {
    {gicd::isenabler, "enable"},     {gicd::icenabler, "disable"},
    {gicd::ispendr, "set pending"},  {gicd::icpendr, "clear pending"},
    {gicd::isactiver, "set active"}, {gicd::icactiver, "clear active"},
};
constexpr uint32_t bit_register_span = 0x80; // 32 registers of 32 bits

const BitRegister* bit_register(uint32_t offset) {
    for (const BitRegister& r : bit_registers) {
        if (offset >= r.base && offset < r.base + bit_register_span)
            return &r;
    }
    return nullptr;
}

bool is_id_register(uint32_t offset) {
    return offset >= 0xffd0 && offset <= 0xfffc;
}

uint64_t affinity_of(uint64_t mpidr) {
    return mpidr & 0xff00ffffffull;
}

// IROUTER holds Aff3 in [39:32] and Aff2.Aff1.Aff0 in [23:0], like MPIDR.
uint64_t route_for(uint64_t mpidr) {
    return affinity_of(mpidr);
}

} // namespace

SgiTargets sgi_targets(uint64_t value, const CellView& cell) {
    SgiTargets t;
    t.intid = uint32_t(value >> 24) & 0xf;
    if ((value >> 40 & 1) != 0) { // IRM: every CPU but the sender, inside the cell only
        t.deliver = cell.cpus;
        t.deliver.remove(cell.cpu);
        return t;
    }
    const uint64_t upper =
        (value >> 48 & 0xff) << 32 | (value >> 32 & 0xff) << 16 | (value >> 16 & 0xff) << 8;
    const uint64_t range = (value >> 44 & 0xf) * 16;
    for (uint64_t bit = 0; bit < 16; ++bit) {
        if ((value >> bit & 1) == 0)
            continue;
        const uint64_t target = upper | (range + bit);
        bool found = false;
        for (unsigned cpu = 0; cpu < cells::cpu_limit && !found; ++cpu) {
            if (affinity_of(cell.mpidr[cpu]) != target)
                continue;
            found = true;
            if (cell.cpus.contains(cpu))
                t.deliver.add(cpu);
            else
                t.dropped.add(cpu);
        }
        if (!found)
            t.unknown_target = true;
    }
    return t;
}

void VirtualGic::set_frames(const unsigned* cpu_of_frame, unsigned frames) {
    frames_ = frames < cells::cpu_limit ? frames : cells::cpu_limit;
    for (unsigned f = 0; f < frames_; ++f)
        cpu_of_frame_[f] = cpu_of_frame[f];
}

void VirtualGic::reset_spis(const cells::IrqSet& irqs) {
    SpinlockGuard guard(lock_);
    for (uint32_t word = spi_first / 32; word < spi_end / 32 + 1; ++word) {
        uint32_t bits = 0;
        for (uint32_t i = 0; i < 32; ++i) {
            const uint32_t intid = word * 32 + i;
            if (intid >= spi_first && intid < spi_end && irqs.contains(intid))
                bits |= 1u << i;
        }
        if (bits == 0)
            continue;
        hw_.dist_write32(gicd::icenabler + 4 * word, bits);
        hw_.dist_write32(gicd::icpendr + 4 * word, bits);
        hw_.dist_write32(gicd::icactiver + 4 * word, bits);
        spi_enabled_[word] &= ~bits;
        for (uint32_t i = 0; i < 32; ++i) {
            if ((bits >> i & 1) != 0) {
                spi_priority_[word * 32 + i] = 0;
                spi_route_[word * 32 + i] = 0;
            }
        }
    }
}

void VirtualGic::reset_cpu(unsigned cpu) {
    if (cpu >= cells::cpu_limit)
        return;
    Private& p = private_[cpu];
    p.enabled = 0;
    for (uint8_t& prio : p.priority)
        prio = 0;
    __atomic_store_n(&p.pending_sgis, 0u, __ATOMIC_SEQ_CST);
}

void VirtualGic::reset_cell(unsigned slot) {
    if (slot >= cells::cpu_limit)
        return;
    {
        SpinlockGuard guard(lock_);
        doorbell_enabled_[slot] = cells::IrqSet();
        doorbell_pending_[slot] = cells::IrqSet();
        for (uint8_t& prio : doorbell_priority_[slot])
            prio = 0;
    }
    ctlr_[slot] = 0;
    lpi_reported_[slot] = false;
    reported_[slot] = cells::IrqSet();
    report_count_[slot] = 0;
    frame_write_reported_[slot] = false;
    sgi_drop_reported_[slot] = false;
}

Refusal VirtualGic::refuse_sgi(const CellView& cell, uint32_t intid) {
    SpinlockGuard guard(lock_);
    const unsigned slot = cell.slot % cells::cpu_limit;
    if (sgi_drop_reported_[slot] || report_count_[slot] >= report_limit)
        return {};
    sgi_drop_reported_[slot] = true;
    ++report_count_[slot];
    return {true, intid, "SGI"};
}

bool VirtualGic::owned(const CellView& cell, uint32_t intid) const {
    return intid >= spi_first && intid < spi_end && cell.irqs->contains(intid);
}

bool VirtualGic::doorbell(const CellView& cell, uint32_t intid) const {
    return intid >= spi_first && intid < spi_end && cell.slot < cells::cpu_limit &&
           doorbells_[cell.slot].contains(intid);
}

uint32_t VirtualGic::doorbell_bits(const cells::IrqSet& set, uint32_t first) const {
    uint32_t mask = 0;
    for (uint32_t i = 0; i < 32; ++i) {
        if (first + i >= spi_first && set.contains(first + i))
            mask |= 1u << i;
    }
    return mask;
}

uint32_t VirtualGic::doorbell_mask(const CellView& cell, uint32_t first) const {
    return cell.slot < cells::cpu_limit ? doorbell_bits(doorbells_[cell.slot], first) : 0;
}

// Set/clear enable and pending of a cell's own doorbells; active state is not kept (a software
// list-register entry holds it while the cell handles the doorbell).
void VirtualGic::write_doorbell_bits(const CellView& cell, uint32_t base, uint32_t first,
                                     uint32_t bits) {
    cells::IrqSet* target = nullptr;
    bool set = true;
    if (base == gicd::isenabler || base == gicd::icenabler) {
        target = &doorbell_enabled_[cell.slot];
        set = base == gicd::isenabler;
    } else if (base == gicd::ispendr || base == gicd::icpendr) {
        target = &doorbell_pending_[cell.slot];
        set = base == gicd::ispendr;
    } else {
        return;
    }
    for (uint32_t i = 0; i < 32; ++i) {
        if ((bits >> i & 1) == 0)
            continue;
        if (set)
            target->add(first + i);
        else
            target->remove(first + i);
    }
}

void VirtualGic::set_doorbells(unsigned slot, const cells::IrqSet& doorbells) {
    if (slot >= cells::cpu_limit)
        return;
    SpinlockGuard guard(lock_);
    doorbells_[slot] = doorbells;
    doorbell_enabled_[slot] = cells::IrqSet();
    doorbell_pending_[slot] = cells::IrqSet();
    for (uint8_t& prio : doorbell_priority_[slot])
        prio = 0;
}

bool VirtualGic::ring_doorbell(unsigned slot, uint32_t intid) {
    if (slot >= cells::cpu_limit)
        return false;
    SpinlockGuard guard(lock_);
    if (!doorbells_[slot].contains(intid))
        return false;
    doorbell_pending_[slot].add(intid);
    return doorbell_enabled_[slot].contains(intid);
}

bool VirtualGic::doorbells_ready(unsigned slot) {
    if (slot >= cells::cpu_limit)
        return false;
    SpinlockGuard guard(lock_);
    for (unsigned w = 0; w < cells::IrqSet::words; ++w) {
        if ((doorbell_pending_[slot].word(w) & doorbell_enabled_[slot].word(w)) != 0)
            return true;
    }
    return false;
}

unsigned VirtualGic::take_doorbells(unsigned slot, uint32_t* out, unsigned capacity) {
    if (slot >= cells::cpu_limit)
        return 0;
    SpinlockGuard guard(lock_);
    unsigned n = 0;
    // Word by word: this runs on every kick SGI of a CPU whose cell has links.
    for (unsigned w = 0; w < cells::IrqSet::words && n < capacity; ++w) {
        uint64_t ready = doorbell_pending_[slot].word(w) & doorbell_enabled_[slot].word(w);
        while (ready != 0 && n < capacity) {
            const uint32_t intid = w * 64 + uint32_t(__builtin_ctzll(ready));
            ready &= ready - 1;
            doorbell_pending_[slot].remove(intid);
            out[n++] = intid;
        }
    }
    return n;
}

uint32_t VirtualGic::owned_mask(const CellView& cell, uint32_t first) const {
    uint32_t mask = 0;
    for (uint32_t i = 0; i < 32; ++i) {
        if (owned(cell, first + i))
            mask |= 1u << i;
    }
    return mask;
}

Refusal VirtualGic::refuse(const CellView& cell, uint32_t intid, const char* what) {
    const unsigned slot = cell.slot < cells::cpu_limit ? cell.slot : 0;
    if (reported_[slot].contains(intid) || report_count_[slot] >= report_limit)
        return {};
    reported_[slot].add(intid);
    ++report_count_[slot];
    return {true, intid, what};
}

Refusal VirtualGic::refuse_first(const CellView& cell, uint32_t first, uint32_t bits,
                                 const char* what) {
    for (uint32_t i = 0; i < 32; ++i) {
        if ((bits >> i & 1) == 0)
            continue;
        const Refusal r = refuse(cell, first + i, what);
        if (r.report)
            return r;
    }
    return {};
}

int VirtualGic::cpu_of_affinity(const CellView& cell, uint64_t affinity) const {
    for (unsigned cpu = 0; cpu < cells::cpu_limit; ++cpu) {
        if (cell.cpus.contains(cpu) && affinity_of(cell.mpidr[cpu]) == affinity)
            return int(cpu);
    }
    return -1;
}

// The physical route of an owned SPI: the CPU of the cell its virtual route names, or the
// cell's first CPU (no route written yet, or 1-of-N routing, which the hypervisor does not do).
uint64_t VirtualGic::physical_route(const CellView& cell, uint32_t intid) const {
    const uint64_t route = spi_route_[intid];
    if ((route & gicd::irouter_irm) == 0) {
        const int cpu = cpu_of_affinity(cell, route & 0xff00ffffffull);
        if (cpu >= 0)
            return route_for(cell.mpidr[cpu]);
    }
    return route_for(cell.mpidr[cell.cpus.first() < cells::cpu_limit ? cell.cpus.first() : 0]);
}

uint64_t VirtualGic::dist_read(const CellView& cell, uint32_t offset, unsigned size) {
    if (offset >= gicd::irouter + 8 * spi_first && offset < gicd::irouter + 8 * spi_end &&
        (size == 8 || size == 4)) {
        const uint32_t intid = (offset - gicd::irouter) / 8;
        uint64_t route = owned(cell, intid) ? spi_route_[intid] : 0;
        if (doorbell(cell, intid)) // always the cell's first CPU
            route =
                route_for(cell.mpidr[cell.cpus.first() < cells::cpu_limit ? cell.cpus.first() : 0]);
        return size == 8 ? route : uint32_t(route >> (offset % 8 == 4 ? 32 : 0));
    }
    if (offset >= gicd::ipriorityr && offset < gicd::ipriorityr + spi_end &&
        (size == 1 || size == 4)) {
        uint32_t value = 0;
        for (unsigned i = 0; i < size; ++i) {
            const uint32_t intid = offset - gicd::ipriorityr + i;
            if (owned(cell, intid))
                value |= uint32_t(spi_priority_[intid]) << (8 * i);
            else if (doorbell(cell, intid))
                value |= uint32_t(doorbell_priority_[cell.slot][intid]) << (8 * i);
        }
        return value;
    }
    if (size != 4 || offset % 4 != 0)
        return 0;
    if (offset == gicd::ctlr)
        return (hw_.dist_read32(gicd::ctlr) & (gicd::ctlr_are | gicd::ctlr_ds)) |
               ctlr_[cell.slot % cells::cpu_limit];
    if (offset == gicd::typer || offset == gicd::iidr || is_id_register(offset))
        return hw_.dist_read32(offset);
    if (offset >= gicd::igroupr && offset < gicd::igroupr + bit_register_span)
        return owned_mask(cell, (offset - gicd::igroupr) * 8) |
               doorbell_mask(cell, (offset - gicd::igroupr) * 8);
    if (const BitRegister* r = bit_register(offset)) {
        const uint32_t first = (offset - r->base) * 8;
        const uint32_t mask = owned_mask(cell, first);
        uint32_t value = 0;
        if (mask != 0) {
            // Enables as the cell wrote them: the physical ones are off while its group 1 is.
            if (r->base == gicd::isenabler || r->base == gicd::icenabler)
                value = spi_enabled_[first / 32] & mask;
            else
                value = hw_.dist_read32(offset) & mask;
        }
        if (const uint32_t bells = doorbell_mask(cell, first); bells != 0) {
            SpinlockGuard guard(lock_);
            if (r->base == gicd::isenabler || r->base == gicd::icenabler)
                value |= doorbell_bits(doorbell_enabled_[cell.slot], first) & bells;
            else if (r->base == gicd::ispendr || r->base == gicd::icpendr)
                value |= doorbell_bits(doorbell_pending_[cell.slot], first) & bells;
        }
        return value;
    }
    if (offset >= gicd::icfgr && offset < gicd::icfgr + 0x100) {
        const uint32_t first = (offset - gicd::icfgr) * 4; // 16 interrupts per register
        uint32_t mask = 0;
        uint32_t edges = 0; // doorbells read as edge-triggered
        for (uint32_t i = 0; i < 16; ++i) {
            if (owned(cell, first + i))
                mask |= 3u << (2 * i);
            else if (doorbell(cell, first + i))
                edges |= 2u << (2 * i);
        }
        return (mask == 0 ? 0 : hw_.dist_read32(offset) & mask) | edges;
    }
    return 0;
}

Refusal VirtualGic::write_bits(const CellView& cell, uint32_t offset, uint32_t value) {
    const BitRegister* r = bit_register(offset);
    const uint32_t first = (offset - r->base) * 8;
    const uint32_t mask = owned_mask(cell, first);
    const uint32_t mine = value & mask;
    if (mine != 0) {
        if (r->base == gicd::isenabler) {
            spi_enabled_[first / 32] |= mine;
            if (group1_enabled(cell.slot))
                apply_spi_enables(cell, first / 32, mine, true);
        } else if (r->base == gicd::icenabler) {
            spi_enabled_[first / 32] &= ~mine;
            hw_.dist_write32(offset, mine);
        } else {
            hw_.dist_write32(offset, mine);
        }
    }
    const uint32_t bells = doorbell_mask(cell, first);
    if ((value & bells) != 0)
        write_doorbell_bits(cell, r->base, first, value & bells);
    // Bits 0-31 (SGIs and PPIs) are reserved in the distributor with affinity routing.
    const uint32_t foreign = first == 0 ? 0 : value & ~mask & ~bells;
    return refuse_first(cell, first, foreign, r->what);
}

bool VirtualGic::group1_enabled(unsigned slot) const {
    return (__atomic_load_n(&ctlr_[slot % cells::cpu_limit], __ATOMIC_RELAXED) &
            gicd::ctlr_enable_grp1) != 0;
}

// Owned SPIs `bits` of register word `word` on (routed first: an SPI reaches the cell only on
// the CPU it is routed to) or off in the physical distributor.
void VirtualGic::apply_spi_enables(const CellView& cell, uint32_t word, uint32_t bits, bool on) {
    if (bits == 0)
        return;
    if (!on) {
        hw_.dist_write32(gicd::icenabler + 4 * word, bits);
        return;
    }
    for (uint32_t i = 0; i < 32; ++i) {
        if ((bits >> i & 1) != 0)
            hw_.dist_write64(gicd::irouter + 8 * (word * 32 + i),
                             physical_route(cell, word * 32 + i));
    }
    hw_.dist_write32(gicd::isenabler + 4 * word, bits);
}

void VirtualGic::apply_vtimer_enable(unsigned cpu, bool on) {
    for (unsigned f = 0; f < frames_; ++f) {
        if (cpu_of_frame_[f] == cpu)
            hw_.redist_write32(f, gicr::sgi_base + (on ? gicd::isenabler : gicd::icenabler),
                               1u << vtimer_ppi);
    }
}

// The cell's GICD_CTLR. ARE and DS are the hardware's (RAO/WI here: the hypervisor needs affinity
// routing); EnableGrp0/1 are the cell's. A change of EnableGrp1 moves the cell's enabled SPIs and
// virtual timer PPIs in or out of the physical GIC; the global enables of the physical
// distributor stay on for the other cells and the hypervisor.
void VirtualGic::write_ctlr(const CellView& cell, uint32_t value) {
    const unsigned slot = cell.slot % cells::cpu_limit;
    const bool was = group1_enabled(slot);
    __atomic_store_n(&ctlr_[slot], value & (gicd::ctlr_enable_grp0 | gicd::ctlr_enable_grp1),
                     __ATOMIC_RELAXED);
    const bool now = group1_enabled(slot);
    if (was == now)
        return;
    for (uint32_t word = spi_first / 32; word <= spi_end / 32; ++word)
        apply_spi_enables(cell, word, spi_enabled_[word] & owned_mask(cell, word * 32), now);
    for (unsigned cpu = 0; cpu < cells::cpu_limit; ++cpu) {
        if (cell.cpus.contains(cpu) && (private_[cpu].enabled >> vtimer_ppi & 1) != 0)
            apply_vtimer_enable(cpu, now);
    }
}

Refusal VirtualGic::write_route(const CellView& cell, uint32_t intid, uint64_t value) {
    if (!owned(cell, intid))
        return refuse(cell, intid, "route");
    if ((value & gicd::irouter_irm) == 0 && cpu_of_affinity(cell, value & 0xff00ffffffull) < 0)
        return refuse(cell, intid, "route to a CPU outside the cell");
    spi_route_[intid] = value & (0xff00ffffffull | gicd::irouter_irm);
    hw_.dist_write64(gicd::irouter + 8 * intid, physical_route(cell, intid));
    return {};
}

Refusal VirtualGic::dist_write(const CellView& cell, uint32_t offset, unsigned size,
                               uint64_t value) {
    SpinlockGuard guard(lock_);
    if (offset >= gicd::irouter + 8 * spi_first && offset < gicd::irouter + 8 * spi_end &&
        (size == 8 || size == 4)) {
        const uint32_t intid = (offset - gicd::irouter) / 8;
        if (doorbell(cell, intid))
            return {}; // a doorbell always goes to the cell's first CPU
        uint64_t route = owned(cell, intid) ? spi_route_[intid] : 0;
        if (size == 8)
            route = value;
        else if (offset % 8 == 0)
            route = (route & ~uint64_t(0xffffffff)) | uint32_t(value);
        else
            route = (route & 0xffffffff) | uint64_t(uint32_t(value)) << 32;
        return write_route(cell, intid, route);
    }
    if (offset >= gicd::ipriorityr && offset < gicd::ipriorityr + spi_end &&
        (size == 1 || size == 4)) {
        Refusal refusal;
        for (unsigned i = 0; i < size; ++i) {
            const uint32_t intid = offset - gicd::ipriorityr + i;
            if (owned(cell, intid))
                spi_priority_[intid] = uint8_t(value >> (8 * i));
            else if (doorbell(cell, intid))
                doorbell_priority_[cell.slot][intid] = uint8_t(value >> (8 * i));
            else if (intid >= spi_first && !refusal.report)
                refusal = refuse(cell, intid, "priority");
        }
        return refusal;
    }
    if (size != 4 || offset % 4 != 0)
        return {};
    if (offset == gicd::ctlr) {
        write_ctlr(cell, uint32_t(value));
        return {};
    }
    if (bit_register(offset) != nullptr)
        return write_bits(cell, offset, uint32_t(value));
    if (offset >= gicd::icfgr && offset < gicd::icfgr + 0x100) {
        const uint32_t first = (offset - gicd::icfgr) * 4;
        uint32_t mask = 0;
        Refusal refusal;
        for (uint32_t i = 0; i < 16; ++i) {
            if (owned(cell, first + i))
                mask |= 2u << (2 * i); // bit 2n+1: edge; bit 2n is reserved
            else if (doorbell(cell, first + i))
                continue; // always edge-triggered
            else if (first + i >= spi_first && (uint32_t(value) >> (2 * i) & 3) != 0 &&
                     !refusal.report)
                refusal = refuse(cell, first + i, "configure");
        }
        if (mask != 0)
            hw_.dist_write32(offset, (hw_.dist_read32(offset) & ~mask) | (uint32_t(value) & mask));
        return refusal;
    }
    return {}; // group, group modifier, SGIR (affinity routing): RAZ/WI
}

uint64_t VirtualGic::redist_read(const CellView& cell, unsigned frame, uint32_t offset,
                                 unsigned size) {
    if (frame >= frames_)
        return 0;
    if (offset == gicr::typer && (size == 8 || size == 4)) {
        // Affinity, processor number and Last; no LPIs, no virtual LPIs.
        const uint64_t typer = hw_.redist_read64(frame, gicr::typer) &
                               (0xffffffff00000000ull | 0xffff00 | gicr::typer_last);
        return size == 8 ? typer : uint32_t(typer);
    }
    if (offset == gicr::typer + 4 && size == 4)
        return uint32_t(hw_.redist_read64(frame, gicr::typer) >> 32);
    if (size != 4 && size != 1)
        return 0;
    if (size == 4 && (offset == gicr::iidr || is_id_register(offset)))
        return hw_.redist_read32(frame, offset);
    const unsigned cpu = cpu_of_frame_[frame];
    if (!cell.cpus.contains(cpu) || offset < gicr::sgi_base)
        return 0; // CTLR, WAKER (awake), STATUSR...: 0; other CPUs' state: 0
    const uint32_t sgi = offset - gicr::sgi_base;
    const Private& p = private_[cpu];
    if (sgi >= gicd::ipriorityr && sgi < gicd::ipriorityr + private_count) {
        uint32_t value = 0;
        for (unsigned i = 0; i < size; ++i) {
            const uint32_t intid = sgi - gicd::ipriorityr + i;
            if ((cell_private_mask >> intid & 1) != 0)
                value |= uint32_t(p.priority[intid]) << (8 * i);
        }
        return value;
    }
    if (size != 4)
        return 0;
    switch (sgi) {
    case gicd::igroupr:
        return cell_private_mask;
    case gicd::isenabler:
    case gicd::icenabler:
        return p.enabled;
    case gicd::icfgr:
        return 0xaaaaaaaa; // SGIs are edge-triggered
    default:
        return 0;
    }
}

Refusal VirtualGic::redist_write(const CellView& cell, unsigned frame, uint32_t offset,
                                 unsigned size, uint64_t value) {
    SpinlockGuard guard(lock_);
    if (frame >= frames_)
        return {};
    const unsigned cpu = cpu_of_frame_[frame];
    const unsigned slot = cell.slot % cells::cpu_limit;
    if (!cell.cpus.contains(cpu)) {
        if (frame_write_reported_[slot] || report_count_[slot] >= report_limit)
            return {};
        frame_write_reported_[slot] = true;
        ++report_count_[slot];
        return {true, frame, "write to the redistributor of a CPU outside the cell"};
    }
    if ((offset == gicr::ctlr && size == 4 && (value & gicr::ctlr_enable_lpis) != 0) ||
        ((offset == gicr::propbaser || offset == gicr::pendbaser) && (size == 8 || size == 4) &&
         value != 0))
        return refuse_lpis(cell);
    if (offset < gicr::sgi_base)
        return {}; // CTLR, WAKER, ...: the hypervisor keeps the redistributor awake
    const uint32_t sgi = offset - gicr::sgi_base;
    Private& p = private_[cpu];
    if (sgi >= gicd::ipriorityr && sgi < gicd::ipriorityr + private_count &&
        (size == 1 || size == 4)) {
        for (unsigned i = 0; i < size; ++i) {
            const uint32_t intid = sgi - gicd::ipriorityr + i;
            if ((cell_private_mask >> intid & 1) != 0)
                p.priority[intid] = uint8_t(value >> (8 * i));
        }
        return {};
    }
    if (size != 4 || (sgi != gicd::isenabler && sgi != gicd::icenabler))
        return {};
    const uint32_t bits = uint32_t(value);
    const uint32_t mine = bits & cell_private_mask;
    if (sgi == gicd::isenabler)
        p.enabled |= mine;
    else
        p.enabled &= ~mine;
    // The physical enable follows the cell's group 1 enable; a disable always goes through.
    if ((mine >> vtimer_ppi & 1) != 0 && (sgi == gicd::icenabler || group1_enabled(slot)))
        hw_.redist_write32(frame, gicr::sgi_base + sgi, 1u << vtimer_ppi);
    // Other PPIs (physical timer, maintenance, PMU...) stay the hypervisor's.
    const uint32_t kept = bits & ~cell_private_mask;
    for (uint32_t i = 0; i < 32; ++i) {
        if ((kept >> i & 1) != 0)
            return refuse(cell, i, sgi == gicd::isenabler ? "enable" : "disable");
    }
    return {};
}

// LPIs (and so an ITS) are not supported for cells: the first attempt of a cell to enable them
// is reported, the write ignored, and GICR_TYPER keeps saying PLPIS = 0.
Refusal VirtualGic::refuse_lpis(const CellView& cell) {
    const unsigned slot = cell.slot % cells::cpu_limit;
    if (lpi_reported_[slot] || report_count_[slot] >= report_limit)
        return {};
    lpi_reported_[slot] = true;
    ++report_count_[slot];
    return {true, 0, "LPIs", true};
}

uint8_t VirtualGic::private_priority(unsigned cpu, uint32_t intid) const {
    return cpu < cells::cpu_limit && intid < private_count ? private_[cpu].priority[intid] : 0;
}

bool VirtualGic::private_enabled(unsigned cpu, uint32_t intid) const {
    return cpu < cells::cpu_limit && intid < private_count &&
           (__atomic_load_n(&private_[cpu].enabled, __ATOMIC_RELAXED) >> intid & 1) != 0;
}

void VirtualGic::post_sgi(unsigned cpu, uint32_t intid) {
    if (cpu < cells::cpu_limit && intid < 16)
        __atomic_fetch_or(&private_[cpu].pending_sgis, 1u << intid, __ATOMIC_SEQ_CST);
}

uint32_t VirtualGic::take_sgis(unsigned cpu) {
    return cpu < cells::cpu_limit
               ? __atomic_exchange_n(&private_[cpu].pending_sgis, 0u, __ATOMIC_SEQ_CST)
               : 0;
}

} // namespace hv::gic
