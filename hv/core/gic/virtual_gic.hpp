// The GICv3 as cells see it. The hypervisor owns the physical distributor and redistributors;
// nothing of them is mapped into a cell's stage 2. A cell's accesses to either trap and come
// here, with the cell's interrupts (IrqSet) and CPUs:
//   - distributor (GICD): a write reaches the physical distributor only for SPIs the cell owns;
//     bits, bytes and fields of other interrupts read 0 and their writes are ignored, and an
//     attempt to enable, set pending/active, disable or route one of them is refused and
//     reported (once per cell and interrupt). Priorities are virtual (kept here, written into the
//     list register on delivery): every physical cell interrupt has the same priority, below the
//     hypervisor's own SGIs, so no cell can starve another. Routes must name a CPU of the cell.
//     GICD_CTLR is per cell: ARE and DS read as the hardware has them (affinity routing is
//     always on), EnableGrp0/1 as the cell wrote them, and a clear EnableGrp1 keeps the cell's
//     interrupts from being forwarded without touching the physical distributor's enables.
//   - redistributors (GICR): per CPU, emulated. A cell's own CPUs' frames hold their virtual
//     SGI/PPI enables and priorities; only the virtual timer's PPI (27) reaches the physical
//     redistributor. Frames of other CPUs show only their identification (TYPER, IIDR, PIDR2),
//     so a guest can walk the frames as on hardware, and ignore writes. LPIs are not supported:
//     TYPER says so, and enabling them (GICR_CTLR.EnableLPIs, PROPBASER, PENDBASER) is refused
//     and reported.
//   - SGIs (ICC_SGI1R_EL1, trapped): delivered only to CPUs of the sending cell; targets in
//     other cells are dropped (sgi_targets()).
//   - link doorbells: virtual SPIs with no physical line. Each peer cell of a link may enable,
//     disable, pend, unpend and prioritise the link's doorbell INTID in its own distributor view
//     (kept here per cell), and a ring marks it pending in each other peer; it is delivered as a
//     software list-register entry on the peer's first CPU once enabled (docs/links.md).
// Arch-neutral: the physical GIC is behind GicHardware, so host tests use a fake.
#pragma once

#include <stdint.h>

#include "core/cells/cpu_set.hpp"
#include "core/cells/irq_set.hpp"
#include "core/sync/spinlock.hpp"

namespace hv::gic {

inline constexpr uint32_t private_count = 32; // SGIs 0-15 and PPIs 16-31 per CPU
inline constexpr uint32_t spi_first = 32;
inline constexpr uint32_t spi_end = 1020; // INTIDs 1020-1023 are special
inline constexpr uint32_t vtimer_ppi = 27;
// The private interrupts a cell may use on its CPUs: the 16 SGIs and the virtual timer.
inline constexpr uint32_t cell_private_mask = 0x0000ffffu | 1u << vtimer_ppi;
// Physical priority of every interrupt delivered to a cell (the hypervisor's SGIs are higher).
inline constexpr uint8_t cell_physical_priority = 0xa0;
inline constexpr uint32_t gicd_size = 0x10000;
inline constexpr uint32_t gicr_frame_size = 0x20000; // RD_base + SGI_base

// Register offsets (GICv3 architecture specification, chapter 12).
namespace gicd {
inline constexpr uint32_t ctlr = 0x0, typer = 0x4, iidr = 0x8, igroupr = 0x80, isenabler = 0x100,
                          icenabler = 0x180, ispendr = 0x200, icpendr = 0x280, isactiver = 0x300,
                          icactiver = 0x380, ipriorityr = 0x400, icfgr = 0xc00, irouter = 0x6000,
                          pidr2 = 0xffe8;
inline constexpr uint32_t ctlr_enable_grp0 = 1u << 0, ctlr_enable_grp1 = 1u << 1,
                          ctlr_are = 1u << 4, ctlr_ds = 1u << 6, ctlr_rwp = 1u << 31;
inline constexpr uint64_t irouter_irm = uint64_t(1) << 31;
} // namespace gicd
namespace gicr {
inline constexpr uint32_t ctlr = 0x0, iidr = 0x4, typer = 0x8, waker = 0x14, propbaser = 0x70,
                          pendbaser = 0x78, pidr2 = 0xffe8;
inline constexpr uint32_t ctlr_enable_lpis = 1u << 0;
inline constexpr uint32_t sgi_base = 0x10000;
inline constexpr uint64_t typer_last = 1u << 4;
} // namespace gicr

// The physical GIC, as raw 32/64-bit register accesses. `frame` is a redistributor frame index.
class GicHardware {
  public:
    virtual uint32_t dist_read32(uint32_t offset) = 0;
    virtual void dist_write32(uint32_t offset, uint32_t value) = 0;
    virtual void dist_write64(uint32_t offset, uint64_t value) = 0;
    virtual uint32_t redist_read32(unsigned frame, uint32_t offset) = 0;
    virtual uint64_t redist_read64(unsigned frame, uint32_t offset) = 0;
    virtual void redist_write32(unsigned frame, uint32_t offset, uint32_t value) = 0;

  protected:
    ~GicHardware() = default;
};

// The cell making an access: its slot, interrupts, CPUs, the MPIDR affinity of every CPU index,
// and the calling CPU.
struct CellView {
    unsigned slot = 0;
    const cells::IrqSet* irqs = nullptr;
    cells::CpuSet cpus;
    const uint64_t* mpidr = nullptr; // cells::cpu_limit entries
    unsigned cpu = 0;
};

// An access the model refused, to be reported: at most once per cell and interrupt, and at most
// report_limit times per cell (a guest OS that touches every line at boot would flood the
// console otherwise; the last report says so).
inline constexpr unsigned report_limit = 16;
struct Refusal {
    bool report = false;
    uint32_t intid = 0; // the interrupt, or the redistributor frame for frame_write
    const char* what = "";
    bool unsupported = false; // a feature cells do not get (LPIs), not someone else's interrupt
};

// Targets of a trapped ICC_SGI1R_EL1 write: the CPUs of the cell to signal, and the CPUs named
// that belong to someone else (dropped).
struct SgiTargets {
    uint32_t intid = 0;
    cells::CpuSet deliver;
    cells::CpuSet dropped;
    bool unknown_target = false; // an affinity that is no CPU at all
};
SgiTargets sgi_targets(uint64_t sgi1r, const CellView& cell);

class VirtualGic {
  public:
    explicit VirtualGic(GicHardware& hw) : hw_(hw) {}

    // Which redistributor frame belongs to which CPU index (cells::cpu_limit = none); the
    // number of frames the platform has.
    void set_frames(const unsigned* cpu_of_frame, unsigned frames);
    unsigned frames() const { return frames_; }

    // Interrupts changing owner: disabled, not pending, not active, default route and priority.
    void reset_spis(const cells::IrqSet& irqs);
    // A CPU entering a cell: its private virtual state starts clean (nothing enabled, no SGI
    // pending). The caller also clears the physical timer PPI.
    void reset_cpu(unsigned cpu);
    // A new cell in `slot`: its distributor control and report history start clean.
    void reset_cell(unsigned slot);

    uint64_t dist_read(const CellView& cell, uint32_t offset, unsigned size);
    Refusal dist_write(const CellView& cell, uint32_t offset, unsigned size, uint64_t value);
    uint64_t redist_read(const CellView& cell, unsigned frame, uint32_t offset, unsigned size);
    Refusal redist_write(const CellView& cell, unsigned frame, uint32_t offset, unsigned size,
                         uint64_t value);

    // Delivery: the virtual priority of an SPI or of a private interrupt of `cpu`, and whether
    // a private interrupt is enabled there.
    uint8_t spi_priority(uint32_t intid) const {
        return intid < spi_end ? spi_priority_[intid] : 0;
    }
    uint8_t private_priority(unsigned cpu, uint32_t intid) const;
    bool private_enabled(unsigned cpu, uint32_t intid) const;

    // The cell's GICD_CTLR.EnableGrp1 (all cell interrupts are group 1): while it is clear
    // nothing of the cell is forwarded. Its SPIs and the virtual timer PPI are disabled in the
    // physical GIC (their enables kept virtually, pending state kept), its SGIs stay pending.
    bool group1_enabled(unsigned slot) const;

    // An SGI naming CPUs outside the cell: dropped by the caller, reported once per cell.
    Refusal refuse_sgi(const CellView& cell, uint32_t intid);

    // SGIs between CPUs of a cell: the sender marks them pending at the target, which takes
    // them (atomically) when the hypervisor's kick SGI arrives.
    void post_sgi(unsigned cpu, uint32_t intid);
    uint32_t take_sgis(unsigned cpu);

    // Link doorbells of the cell in `slot` (empty when the cell goes away); their per-cell
    // state (enable, pending, priority) starts clean, as it does on reset_cell().
    void set_doorbells(unsigned slot, const cells::IrqSet& doorbells);
    // A peer rang doorbell `intid` of the cell in `slot`: marked pending there. Returns true when
    // the cell has it enabled (the caller kicks the cell's first CPU to deliver it); false when
    // it waits for the enable, or the cell has no such doorbell (it went away meanwhile).
    bool ring_doorbell(unsigned slot, uint32_t intid);
    // Whether doorbells of `slot` are pending and enabled (after the cell's own distributor
    // write enabled or pended one): the caller then delivers them on the cell's first CPU.
    bool doorbells_ready(unsigned slot);
    // Takes (atomically clears) the pending, enabled doorbells of `slot` into `out`; returns how
    // many. Called on the cell's first CPU, which injects them with doorbell_priority().
    unsigned take_doorbells(unsigned slot, uint32_t* out, unsigned capacity);
    uint8_t doorbell_priority(unsigned slot, uint32_t intid) const {
        return slot < cells::cpu_limit && intid < spi_end ? doorbell_priority_[slot][intid] : 0;
    }

  private:
    struct Private {
        uint32_t enabled = 0;
        uint8_t priority[private_count] = {};
        uint32_t pending_sgis = 0; // atomic
    };
    bool owned(const CellView& cell, uint32_t intid) const;
    bool doorbell(const CellView& cell, uint32_t intid) const;
    uint32_t doorbell_mask(const CellView& cell, uint32_t first) const;
    uint32_t doorbell_bits(const cells::IrqSet& set, uint32_t first) const;
    void write_doorbell_bits(const CellView& cell, uint32_t base, uint32_t first, uint32_t bits);
    uint32_t owned_mask(const CellView& cell, uint32_t first) const;
    Refusal refuse(const CellView& cell, uint32_t intid, const char* what);
    Refusal refuse_first(const CellView& cell, uint32_t first, uint32_t bits, const char* what);
    Refusal write_bits(const CellView& cell, uint32_t offset, uint32_t value);
    Refusal write_route(const CellView& cell, uint32_t intid, uint64_t value);
    void write_ctlr(const CellView& cell, uint32_t value);
    void apply_spi_enables(const CellView& cell, uint32_t word, uint32_t bits, bool on);
    void apply_vtimer_enable(unsigned cpu, bool on);
    Refusal refuse_lpis(const CellView& cell);
    uint64_t physical_route(const CellView& cell, uint32_t intid) const;
    int cpu_of_affinity(const CellView& cell, uint64_t affinity) const;

    GicHardware& hw_;
    Spinlock lock_;
    unsigned cpu_of_frame_[cells::cpu_limit] = {};
    unsigned frames_ = 0;
    uint8_t spi_priority_[spi_end] = {};
    uint64_t spi_route_[spi_end] = {};
    Private private_[cells::cpu_limit];
    uint32_t ctlr_[cells::cpu_limit] = {};        // per cell slot: EnableGrp0/1 as written
    uint32_t spi_enabled_[spi_end / 32 + 1] = {}; // the enables cells wrote (virtual)
    bool lpi_reported_[cells::cpu_limit] = {};
    cells::IrqSet reported_[cells::cpu_limit];
    unsigned report_count_[cells::cpu_limit] = {};
    bool frame_write_reported_[cells::cpu_limit] = {};
    bool sgi_drop_reported_[cells::cpu_limit] = {};
    // Per cell slot: its links' doorbells and their virtual state.
    cells::IrqSet doorbells_[cells::cpu_limit];
    cells::IrqSet doorbell_enabled_[cells::cpu_limit];
    cells::IrqSet doorbell_pending_[cells::cpu_limit];
    uint8_t doorbell_priority_[cells::cpu_limit][spi_end] = {};
};

} // namespace hv::gic
