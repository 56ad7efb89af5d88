// libFuzzer target for the hypervisor's GIC emulation (hv/core/gic/virtual_gic.*): the input
// picks an ownership map (SPIs and CPUs split among up to four cells) and then a sequence of
// distributor and redistributor reads and writes at any offset, size and value from any cell,
// group-enable changes, SPIs changing owner, and trapped SGI register writes. After every step:
//   - a cell never changed the physical state (enable, pending, active, configuration, route) of
//     an SPI it does not own, nor anything of a redistributor frame of a CPU outside it, nor a
//     private interrupt other than the virtual timer's enable;
//   - the physical distributor's own control register is never written;
//   - an SPI is physically enabled only if its owner enabled it and has its group 1 on, the
//     virtual timer PPI of a CPU only if that CPU's cell enabled it with group 1 on;
//   - reads show nothing of interrupts the reader does not own;
//   - SGIs are delivered only inside the sender's cell, and reports stay within their bound.
// Any violation traps, and so does a crash or sanitizer report.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstring>
#include <memory>

#include "core/gic/virtual_gic.hpp"

namespace {

using namespace hv::gic;
using hv::cells::CpuSet;
using hv::cells::IrqSet;

constexpr unsigned cpu_count = 8;
constexpr unsigned max_cells = 4;

void check(bool ok) {
    if (!ok)
        __builtin_trap();
}

// The physical GIC as plain state with set/clear register semantics.
struct State {
    uint32_t enabled[32] = {}, pending[32] = {}, active[32] = {};
    uint32_t icfgr[64] = {};
    uint64_t route[1024] = {};
    uint32_t ppi_enabled[cpu_count] = {};
    uint32_t frame_other_writes[cpu_count] = {}; // redistributor writes other than the enables
    uint32_t ctlr_writes = 0;
    uint32_t unknown_writes = 0;

    bool operator==(const State& o) const { return std::memcmp(this, &o, sizeof(*this)) == 0; }
};

struct FakeGic final : GicHardware {
    State s;

    uint32_t* bits(uint32_t offset, bool& set) {
        struct R {
            uint32_t base;
            uint32_t* array;
            bool set;
        } regs[] = {{gicd::isenabler, s.enabled, true}, {gicd::icenabler, s.enabled, false},
                    {gicd::ispendr, s.pending, true},   {gicd::icpendr, s.pending, false},
                    {gicd::isactiver, s.active, true},  {gicd::icactiver, s.active, false}};
        for (R& r : regs) {
            if (offset >= r.base && offset < r.base + 0x80) {
                set = r.set;
                return &r.array[(offset - r.base) / 4];
            }
        }
        return nullptr;
    }
    uint32_t dist_read32(uint32_t offset) override {
        bool set = false;
        if (uint32_t* b = bits(offset, set))
            return *b;
        if (offset >= gicd::icfgr && offset < gicd::icfgr + 0x100)
            return s.icfgr[(offset - gicd::icfgr) / 4];
        if (offset == gicd::ctlr)
            return gicd::ctlr_are | gicd::ctlr_ds | 3;
        return offset == gicd::typer ? 0x7880f : 0;
    }
    void dist_write32(uint32_t offset, uint32_t value) override {
        bool set = false;
        if (uint32_t* b = bits(offset, set))
            *b = set ? *b | value : *b & ~value;
        else if (offset >= gicd::icfgr && offset < gicd::icfgr + 0x100)
            s.icfgr[(offset - gicd::icfgr) / 4] = value;
        else if (offset == gicd::ctlr)
            ++s.ctlr_writes;
        else
            ++s.unknown_writes;
    }
    void dist_write64(uint32_t offset, uint64_t value) override {
        if (offset >= gicd::irouter && offset < gicd::irouter + 8 * 1024 && offset % 8 == 0)
            s.route[(offset - gicd::irouter) / 8] = value;
        else
            ++s.unknown_writes;
    }
    uint32_t redist_read32(unsigned frame, uint32_t offset) override {
        return offset == gicr::pidr2 ? 0x3b : frame << 8 | (offset & 0xff);
    }
    uint64_t redist_read64(unsigned frame, uint32_t offset) override {
        return offset == gicr::typer ? uint64_t(frame) << 32 | frame << 8 |
                                           (frame == cpu_count - 1 ? gicr::typer_last : 0) | 1
                                     : 0;
    }
    void redist_write32(unsigned frame, uint32_t offset, uint32_t value) override {
        check(frame < cpu_count);
        if (offset == gicr::sgi_base + gicd::isenabler)
            s.ppi_enabled[frame] |= value;
        else if (offset == gicr::sgi_base + gicd::icenabler)
            s.ppi_enabled[frame] &= ~value;
        else
            ++s.frame_other_writes[frame];
    }
};

bool bit(const uint32_t* words, uint32_t intid) {
    return (words[intid / 32] >> (intid % 32) & 1) != 0;
}
uint32_t cfg(const State& s, uint32_t intid) {
    return s.icfgr[intid / 16] >> (2 * (intid % 16)) & 3;
}

// A register offset: mostly inside the registers the emulation decodes, sometimes anywhere.
uint32_t pick_offset(FuzzedDataProvider& in, bool redistributor) {
    static constexpr uint32_t dist_bases[] = {
        gicd::ctlr,    gicd::typer,   gicd::igroupr,   gicd::isenabler, gicd::icenabler,
        gicd::ispendr, gicd::icpendr, gicd::isactiver, gicd::icactiver, gicd::ipriorityr,
        gicd::icfgr,   gicd::irouter, gicd::pidr2,     gicd::iidr};
    static constexpr uint32_t redist_bases[] = {gicr::ctlr,
                                                gicr::typer,
                                                gicr::waker,
                                                gicr::propbaser,
                                                gicr::pendbaser,
                                                gicr::pidr2,
                                                gicr::sgi_base + gicd::igroupr,
                                                gicr::sgi_base + gicd::isenabler,
                                                gicr::sgi_base + gicd::icenabler,
                                                gicr::sgi_base + gicd::ipriorityr,
                                                gicr::sgi_base + gicd::icfgr};
    switch (in.ConsumeIntegralInRange<int>(0, 3)) {
    case 0:
        return in.ConsumeIntegral<uint32_t>() & (redistributor ? 0x1ffff : 0xffff);
    default: {
        const uint32_t base =
            redistributor ? in.PickValueInArray(redist_bases) : in.PickValueInArray(dist_bases);
        const uint32_t span = base == gicd::irouter ? 8 * 1024 : 0x400;
        return base + (in.ConsumeIntegral<uint32_t>() % span);
    }
    }
}

struct World {
    FakeGic hw;
    VirtualGic vgic{hw};
    IrqSet irqs[max_cells];
    CpuSet cpus[max_cells];
    uint64_t mpidr[hv::cells::cpu_limit] = {};
    unsigned cells = 1;
    unsigned reports[max_cells] = {};
    bool virtual_enable[1024] = {}; // what the owner wrote, as the model must remember it
    bool timer_enable[cpu_count] = {};

    int owner_of_spi(uint32_t intid) const {
        for (unsigned c = 0; c < cells; ++c)
            if (irqs[c].contains(intid))
                return int(c);
        return -1;
    }
    int owner_of_cpu(unsigned cpu) const {
        for (unsigned c = 0; c < cells; ++c)
            if (cpus[c].contains(cpu))
                return int(c);
        return -1;
    }
    CellView view(unsigned slot, unsigned cpu) const {
        return {slot, &irqs[slot], cpus[slot], mpidr, cpu};
    }
};

// Nothing of an interrupt or frame outside `actor` changed between `before` and `after`.
void check_isolation(const World& w, unsigned actor, const State& before, const State& after) {
    check(after.ctlr_writes == before.ctlr_writes);
    check(after.unknown_writes == before.unknown_writes);
    for (uint32_t intid = spi_first; intid < spi_end; ++intid) {
        if (w.irqs[actor].contains(intid))
            continue;
        check(bit(before.enabled, intid) == bit(after.enabled, intid));
        check(bit(before.pending, intid) == bit(after.pending, intid));
        check(bit(before.active, intid) == bit(after.active, intid));
        check(cfg(before, intid) == cfg(after, intid));
        check(before.route[intid] == after.route[intid]);
    }
    for (uint32_t intid = 0; intid < spi_first; ++intid) { // the distributor's private bits
        check(bit(before.enabled, intid) == bit(after.enabled, intid));
        check(bit(before.pending, intid) == bit(after.pending, intid));
    }
    for (unsigned f = 0; f < cpu_count; ++f) {
        check(before.frame_other_writes[f] == after.frame_other_writes[f]);
        const uint32_t changed = before.ppi_enabled[f] ^ after.ppi_enabled[f];
        if (!w.cpus[actor].contains(f))
            check(changed == 0);
        else
            check((changed & ~(1u << vtimer_ppi)) == 0);
    }
}

// Physical enables only for what an owner enabled with its group 1 on.
void check_enables(World& w) {
    for (uint32_t intid = spi_first; intid < spi_end; ++intid) {
        if (!bit(w.hw.s.enabled, intid))
            continue;
        const int owner = w.owner_of_spi(intid);
        check(owner >= 0);
        check(w.vgic.group1_enabled(unsigned(owner)));
        check(w.virtual_enable[intid]);
        // The route names a CPU of the owner.
        bool found = false;
        for (unsigned cpu = 0; cpu < cpu_count; ++cpu)
            found = found || (w.cpus[owner].contains(cpu) && w.hw.s.route[intid] == w.mpidr[cpu]);
        check(found || w.cpus[owner].empty());
    }
    for (unsigned f = 0; f < cpu_count; ++f) {
        check((w.hw.s.ppi_enabled[f] & ~(1u << vtimer_ppi)) == 0);
        if ((w.hw.s.ppi_enabled[f] >> vtimer_ppi & 1) == 0)
            continue;
        const int owner = w.owner_of_cpu(f);
        check(owner >= 0 && w.vgic.group1_enabled(unsigned(owner)) && w.timer_enable[f]);
    }
}

// A read by `actor` shows nothing of interrupts it does not own.
void check_read(const World& w, unsigned actor, uint32_t offset, unsigned size, uint64_t value) {
    if (size != 4 || offset % 4 != 0)
        return;
    const bool bits = offset >= gicd::igroupr && offset < gicd::icactiver + 0x80;
    if (!bits)
        return;
    const uint32_t first = (offset % 0x80) * 8;
    for (uint32_t i = 0; i < 32; ++i) {
        if ((value >> i & 1) != 0)
            check(w.irqs[actor].contains(first + i) && first + i >= spi_first);
    }
}

void count_report(World& w, unsigned actor, const Refusal& r) {
    if (!r.report)
        return;
    ++w.reports[actor];
    // One per interrupt, plus one each for frame writes, dropped SGIs and LPIs, within the bound.
    check(w.reports[actor] <= report_limit);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    FuzzedDataProvider in(data, size);
    auto w = std::make_unique<World>();
    const unsigned frame_cpus[cpu_count] = {0, 1, 2, 3, 4, 5, 6, 7};
    w->vgic.set_frames(frame_cpus, cpu_count);
    w->cells = in.ConsumeIntegralInRange<unsigned>(1, max_cells);
    for (unsigned cpu = 0; cpu < cpu_count; ++cpu) {
        w->mpidr[cpu] = cpu < 4 ? cpu : (uint64_t(1) << 8 | (cpu - 4)); // two clusters
        const unsigned owner = in.ConsumeIntegralInRange<unsigned>(0, max_cells);
        if (owner < w->cells)
            w->cpus[owner].add(cpu);
    }
    // SPIs in runs: (length, owner or nobody).
    for (uint32_t intid = spi_first; intid < spi_end;) {
        const uint32_t run = in.ConsumeIntegralInRange<uint32_t>(1, 64);
        const unsigned owner = in.ConsumeIntegralInRange<unsigned>(0, max_cells);
        for (uint32_t i = 0; i < run && intid < spi_end; ++i, ++intid)
            if (owner < w->cells)
                w->irqs[owner].add(intid);
    }

    for (unsigned step = 0; step < 256 && in.remaining_bytes() > 0; ++step) {
        const unsigned actor = in.ConsumeIntegralInRange<unsigned>(0, w->cells - 1);
        const unsigned cpu = in.ConsumeIntegralInRange<unsigned>(0, cpu_count - 1);
        const CellView view = w->view(actor, cpu);
        static constexpr unsigned sizes[] = {1, 2, 4, 8};
        const unsigned op = in.ConsumeIntegralInRange<unsigned>(0, 7);
        const State before = w->hw.s;
        switch (op) {
        case 0:
        case 1: { // distributor write
            const uint32_t offset = pick_offset(in, false);
            const unsigned sz = in.PickValueInArray(sizes);
            const uint64_t value = in.ConsumeIntegral<uint64_t>();
            // What the model must remember of the owner's enables (for check_enables).
            if (sz == 4 && offset % 4 == 0 && offset >= gicd::isenabler &&
                offset < gicd::icenabler + 0x80) {
                const uint32_t first = (offset % 0x80) * 8;
                for (uint32_t i = 0; i < 32; ++i)
                    if ((value >> i & 1) != 0 && w->irqs[actor].contains(first + i))
                        w->virtual_enable[first + i] = offset < gicd::icenabler;
            }
            count_report(*w, actor, w->vgic.dist_write(view, offset, sz, value));
            check_isolation(*w, actor, before, w->hw.s);
            break;
        }
        case 2: { // group enables
            const uint32_t value = in.ConsumeIntegral<uint32_t>();
            count_report(*w, actor, w->vgic.dist_write(view, gicd::ctlr, 4, value));
            check_isolation(*w, actor, before, w->hw.s);
            const uint64_t ctlr = w->vgic.dist_read(view, gicd::ctlr, 4);
            check((ctlr & 3) == (value & 3) && (ctlr & gicd::ctlr_are) != 0);
            break;
        }
        case 3: { // redistributor write
            const unsigned frame = in.ConsumeIntegralInRange<unsigned>(0, cpu_count);
            const uint32_t offset = pick_offset(in, true);
            const unsigned sz = in.PickValueInArray(sizes);
            const uint64_t value = in.ConsumeIntegral<uint64_t>();
            if (frame < cpu_count && w->cpus[actor].contains(frame) && sz == 4 &&
                (offset == gicr::sgi_base + gicd::isenabler ||
                 offset == gicr::sgi_base + gicd::icenabler) &&
                (value >> vtimer_ppi & 1) != 0)
                w->timer_enable[frame] = offset == gicr::sgi_base + gicd::isenabler;
            count_report(*w, actor, w->vgic.redist_write(view, frame, offset, sz, value));
            check_isolation(*w, actor, before, w->hw.s);
            break;
        }
        case 4: { // reads
            const bool redist = in.ConsumeBool();
            const uint32_t offset = pick_offset(in, redist);
            const unsigned sz = in.PickValueInArray(sizes);
            const unsigned frame = in.ConsumeIntegralInRange<unsigned>(0, cpu_count);
            const uint64_t value = redist ? w->vgic.redist_read(view, frame, offset, sz)
                                          : w->vgic.dist_read(view, offset, sz);
            check(w->hw.s == before);
            if (!redist)
                check_read(*w, actor, offset, sz, value);
            break;
        }
        case 5: { // a run of SPIs changes owner (cell create/destroy): reset, then moved
            const uint32_t first = in.ConsumeIntegralInRange<uint32_t>(spi_first, spi_end - 1);
            const uint32_t count = in.ConsumeIntegralInRange<uint32_t>(1, 40);
            const unsigned to = in.ConsumeIntegralInRange<unsigned>(0, w->cells - 1);
            IrqSet moving;
            for (uint32_t i = first; i < first + count && i < spi_end; ++i)
                moving.add(i);
            w->vgic.reset_spis(moving);
            for (uint32_t i = first; i < first + count && i < spi_end; ++i) {
                for (unsigned c = 0; c < w->cells; ++c)
                    w->irqs[c].remove(i);
                w->irqs[to].add(i);
                w->virtual_enable[i] = false;
                check(!bit(w->hw.s.enabled, i) && !bit(w->hw.s.pending, i) &&
                      !bit(w->hw.s.active, i));
            }
            break;
        }
        case 6: { // a trapped ICC_SGI1R_EL1 write
            const SgiTargets t = hv::gic::sgi_targets(in.ConsumeIntegral<uint64_t>(), view);
            check(t.intid < 16);
            for (unsigned c = 0; c < hv::cells::cpu_limit; ++c) {
                if (t.deliver.contains(c))
                    check(w->cpus[actor].contains(c));
                if (t.dropped.contains(c))
                    check(!w->cpus[actor].contains(c));
            }
            if (!t.dropped.empty() || t.unknown_target)
                count_report(*w, actor, w->vgic.refuse_sgi(view, t.intid));
            break;
        }
        default: { // a cell slot starts over (its reports and control reset)
            if (actor != 0 && in.ConsumeBool()) {
                w->vgic.dist_write(view, gicd::ctlr, 4, 0); // as the stopped cell left it
                w->vgic.reset_cell(actor);
                w->reports[actor] = 0;
            }
            break;
        }
        }
        check_enables(*w);
    }
    return 0;
}
