#include "arch/arm64/monitor/tick.hpp"

#include "arch/arm64/cpu/sysreg.hpp"
#include "arch/arm64/gic/gicv3.hpp"
#include "arch/arm64/gic/virtual_interrupts.hpp"
#include "arch/arm64/guest/cell_runtime.hpp"
#include "arch/arm64/measure/self_measure.hpp"
#include "core/console/console.hpp"
#include "core/sync/spinlock.hpp"

extern "C" {
void* memcpy(void* dst, const void* src, size_t n);
void* memset(void* dst, int c, size_t n);
}

namespace hv::arm64::tick {
namespace {

namespace comm = jailconf::comm;
using console::print;

// GICR_ISENABLER0/ICENABLER0 in the SGI_base frame (the priority is set by gic::init_this_cpu).
constexpr uint32_t isenabler0 = 0x100;
constexpr uint32_t icenabler0 = 0x180;
// CNTHP_CTL_EL2: ENABLE, IMASK clear.
constexpr uint64_t ctl_enable = 1;
constexpr int no_cpu = -1;

uint64_t g_period = 0; // counter ticks per hypervisor tick
uint64_t g_deadline = 0;
uint64_t g_ticks = 0;
// The CPU whose EL2 timer carries the tick (no_cpu: none online). Only that CPU touches
// g_deadline; a hand-off publishes it with the new owner (release/acquire on g_tick_cpu).
int g_tick_cpu = no_cpu;
bool g_armed[cells::cpu_limit] = {}; // each written by its own CPU only
Spinlock g_handoff_lock;             // one hand-off decision at a time

void arm_here(unsigned cpu) {
    const uint64_t now = HV_READ_SYSREG(cntpct_el0);
    if (g_deadline <= now)
        g_deadline = now + g_period;
    HV_WRITE_SYSREG(cnthp_cval_el2, g_deadline);
    HV_WRITE_SYSREG(cnthp_ctl_el2, ctl_enable);
    isb();
    gic::write_sgi_frame(cpu, isenabler0, 1u << gic::hyp_timer_ppi);
    g_armed[cpu] = true;
}

void disarm_here(unsigned cpu) {
    HV_WRITE_SYSREG(cnthp_ctl_el2, 0);
    isb();
    gic::write_sgi_frame(cpu, icenabler0, 1u << gic::hyp_timer_ppi);
    g_armed[cpu] = false;
}

// The next CPU for the tick: an online CPU of the root cell if there is one (the root is
// notified from there and never stops on a watchdog), else any online CPU.
int next_tick_cpu(unsigned leaving_cpu) {
    cells::CpuSet online = psci_emulator().online();
    online.remove(leaving_cpu);
    const cells::CpuSet root = cell_cpus(cell_in_slot(0));
    for (unsigned cpu = 0; cpu < cells::cpu_limit; ++cpu) {
        if (online.contains(cpu) && root.contains(cpu))
            return int(cpu);
    }
    for (unsigned cpu = 0; cpu < cells::cpu_limit; ++cpu) {
        if (online.contains(cpu))
            return int(cpu);
    }
    return no_cpu;
}

void* at(uint64_t phys) {
    return reinterpret_cast<void*>(uintptr_t(phys));
}

// Comm regions through the hypervisor's (cached) identity map of the root cell's RAM, where
// every cell's RAM comes from. The hypervisor writes only the first half of a region and reads
// only the second (comm_region.hpp), so cleaning and invalidating whole lines is safe against an
// uncached cell writing its half meanwhile.
class Arm64CommMemory final : public monitor::MonitorPlatform {
  public:
    void publish(uint64_t phys, const comm::HypervisorArea& area) override {
        auto* dst = static_cast<comm::HypervisorArea*>(at(phys));
        comm::HypervisorArea staged = area;
        staged.message_seq = __atomic_load_n(&dst->message_seq, __ATOMIC_RELAXED);
        memcpy(dst, &staged, sizeof(staged));
        clean_dcache_range(dst, sizeof(*dst)); // ends with dsb sy: the fields are in memory
        __atomic_store_n(&dst->message_seq, area.message_seq, __ATOMIC_RELAXED);
        clean_dcache_range(&dst->message_seq, sizeof(dst->message_seq));
    }
    void read_cell_area(uint64_t phys, comm::CellArea& out) override {
        const void* src = at(phys + comm::cell_area_offset);
        clean_dcache_range(src, sizeof(out)); // drops any stale line (never dirty: not written)
        // reply_seq first: a reply whose sequence matches was written before it.
        out.reply_seq =
            __atomic_load_n(&static_cast<const comm::CellArea*>(src)->reply_seq, __ATOMIC_ACQUIRE);
        const uint64_t seq = out.reply_seq;
        memcpy(&out, src, sizeof(out));
        out.reply_seq = seq;
    }
    void clear_cell_area(uint64_t phys) override {
        void* dst = at(phys + comm::cell_area_offset);
        memset(dst, 0, sizeof(comm::CellArea));
        clean_dcache_range(dst, sizeof(comm::CellArea));
    }
    uint64_t now() const override { return HV_READ_SYSREG(cntpct_el0); }
    uint64_t frequency() const override { return HV_READ_SYSREG(cntfrq_el0); }
};

Arm64CommMemory g_comm_memory;
monitor::Monitor g_monitor(g_comm_memory);

const char* reason_name(comm::FailureReason r) {
    switch (r) {
    case comm::FailureReason::fault:
        return "fault";
    case comm::FailureReason::watchdog:
        return "watchdog";
    case comm::FailureReason::no_reply:
        return "no reply";
    default:
        return "none";
    }
}

// `late`: how long after its deadline this tick was handled (interrupt latency; under QEMU also
// host scheduling). Ages are measured with the counter at handling time, so a kill comes at most
// one tick plus this latency after the timeout.
void report(const monitor::Event& e, bool stopped_in_time, uint64_t now, uint64_t late) {
    const char* name = lifecycle().name(e.slot);
    const uint64_t age_us = g_monitor.us_of_ticks(e.age_ticks);
    const uint64_t late_us = g_monitor.us_of_ticks(late);
    switch (e.kind) {
    case monitor::EventKind::watchdog_expired:
        print("hv: watchdog: cell %s killed: heartbeat %lu unchanged for %lu us (timeout %u ms, "
              "tick %u ms, tick late %lu us), counter %lu\n",
              name, e.heartbeat, age_us, e.timeout_ms, comm::hypervisor_tick_ms, late_us, now);
        break;
    case monitor::EventKind::no_reply:
        print("hv: cell %s killed: shutdown request (seq %lu) unanswered for %lu us (timeout %u "
              "ms, tick %u ms, tick late %lu us)\n",
              name, e.seq, age_us, e.timeout_ms, comm::hypervisor_tick_ms, late_us);
        break;
    case monitor::EventKind::acknowledged:
        print("hv: cell %s acknowledged the shutdown request (seq %lu) after %lu us, shut down\n",
              name, e.seq, age_us);
        break;
    case monitor::EventKind::denied:
        print("hv: cell %s denied the shutdown request (seq %lu) after %lu us, it keeps running\n",
              name, e.seq, age_us);
        return;
    }
    const cells::CellState s = lifecycle().state(e.slot);
    print("hv: cell %s is %s (reason %s)%s\n", name,
          s == cells::CellState::failed ? "failed" : "stopped",
          reason_name(lifecycle().reason(e.slot)),
          stopped_in_time ? "" : "; a CPU did not stop in time");
}

} // namespace

monitor::Monitor& cell_monitor() {
    return g_monitor;
}

void start() {
    const uint64_t hz = HV_READ_SYSREG(cntfrq_el0);
    g_period = hz / 1000 * comm::hypervisor_tick_ms;
    g_deadline = HV_READ_SYSREG(cntpct_el0) + g_period;
    __atomic_store_n(&g_tick_cpu, 0, __ATOMIC_RELEASE);
    arm_here(0);
}

bool runs_on(unsigned cpu) {
    return __atomic_load_n(&g_tick_cpu, __ATOMIC_ACQUIRE) == int(cpu);
}

void leaving(unsigned cpu) {
    SpinlockGuard guard(g_handoff_lock);
    if (__atomic_load_n(&g_tick_cpu, __ATOMIC_ACQUIRE) != int(cpu))
        return;
    if (g_armed[cpu])
        disarm_here(cpu);
    // The caller is already marked off (PSCI), so it is not chosen; a CPU chosen here that is
    // itself on its way off finds itself the owner in its own leaving() and passes it on.
    const int next = next_tick_cpu(cpu);
    __atomic_store_n(&g_tick_cpu, next, __ATOMIC_RELEASE);
    if (next == no_cpu) {
        print("hv: tick stopped: cpu %u goes off and no other cpu is online\n", cpu);
        return;
    }
    print("hv: tick moves from cpu %u to cpu %d (cpu %u goes off)\n", cpu, next, cpu);
    gic::send_sgi(mpidr_of(unsigned(next)), gic::kick_sgi);
}

void adopt(unsigned cpu) {
    int owner = __atomic_load_n(&g_tick_cpu, __ATOMIC_ACQUIRE);
    if (owner == no_cpu && g_period != 0) {
        SpinlockGuard guard(g_handoff_lock);
        owner = __atomic_load_n(&g_tick_cpu, __ATOMIC_ACQUIRE);
        if (owner == no_cpu) {
            __atomic_store_n(&g_tick_cpu, int(cpu), __ATOMIC_RELEASE);
            owner = int(cpu);
            print("hv: tick resumes on cpu %u\n", cpu);
        }
    }
    if (owner == int(cpu) && !g_armed[cpu])
        arm_here(cpu);
}

void handle(unsigned cpu) {
    // Next deadline one period after the previous one, so ticks do not drift; after a long
    // stall (a slow hypercall on CPU 0) skip the missed ones.
    const uint64_t now = HV_READ_SYSREG(cntpct_el0);
    const uint64_t late = now > g_deadline ? now - g_deadline : 0;
    g_deadline += g_period;
    if (g_deadline <= now)
        g_deadline = now + g_period;
    HV_WRITE_SYSREG(cnthp_cval_el2, g_deadline);
    isb();
    gic::deactivate(gic::hyp_timer_ppi); // the line dropped with the new deadline
    ++g_ticks;
    monitor::Event events[cells::cell_limit];
    bool in_time[cells::cell_limit] = {};
    const unsigned n = lifecycle().tick(events, in_time, cells::cell_limit);
    for (unsigned i = 0; i < n; ++i)
        report(events[i], in_time[i], now, late);
    if (n != 0)
        notify_root(cpu);
    self_measure::integrity_step();
}

void notify_root(unsigned this_cpu) {
    // CPU 0, unless the root turned it off: then its lowest online CPU.
    unsigned target = 0;
    const cells::CpuSet online = psci_emulator().online();
    if (!online.contains(0)) {
        const cells::CpuSet root = cell_cpus(cell_in_slot(0));
        for (unsigned cpu = cells::cpu_limit; cpu-- > 0;) {
            if (online.contains(cpu) && root.contains(cpu))
                target = cpu;
        }
    }
    gic::virtual_gic().post_sgi(target, root_notify_sgi);
    if (this_cpu == target)
        vgic::deliver_pending_sgis(target);
    else if (online.contains(target))
        gic::send_sgi(mpidr_of(target), gic::kick_sgi);
}

} // namespace hv::arm64::tick
