// PSCI as the cells see it. A cell calls PSCI with SMC or HVC; the hypervisor traps the call and
// answers from its own view of the CPUs: a cell may start, stop and query only its own CPUs, and
// starting one first brings the physical CPU up at EL2 through the firmware (it then enters the
// cell at the requested address). The decisions live here, free of system registers, so host unit
// tests drive them with a fake Firmware.
#pragma once

#include <stdint.h>

#include "arch/arm64/psci/firmware.hpp"
#include "core/cells/cpu_set.hpp"
#include "core/sync/spinlock.hpp"

namespace hv::arm64::psci {

inline constexpr uint32_t version_1_0 = 0x00010000;

// The MPIDR affinity of each CPU index, from the system descriptor.
struct CpuTopology {
    uint64_t mpidr[cells::cpu_limit] = {};
    unsigned count = 0;

    // The index of the CPU with affinity `mpidr` (affinity bits only), or -1.
    int find(uint64_t mpidr) const;
};

enum class CpuPower : uint8_t { off, on_pending, on };

struct Call {
    uint64_t function = 0;
    uint64_t arg1 = 0, arg2 = 0, arg3 = 0;
};

// What the trap handler does after a call: resume the caller with `value` in x0, or carry out
// the call's effect on the calling CPU or the whole cell.
enum class Action { resume, cpu_off, system_off, system_reset };
struct Outcome {
    Action action = Action::resume;
    int64_t value = 0;
};

class Emulator {
  public:
    // `hv_secondary_entry`: the physical address where firmware-started CPUs enter the
    // hypervisor; the firmware passes them their CPU index as context.
    Emulator(Firmware& firmware, uint64_t hv_secondary_entry)
        : firmware_(firmware), hv_secondary_entry_(hv_secondary_entry) {}

    // The CPUs of the system descriptor; set once at boot, before any cell runs.
    void set_topology(const CpuTopology& topology) { topology_ = topology; }
    const CpuTopology& topology() const { return topology_; }

    // Handles one call from CPU `caller`, which runs a cell owning `cell_cpus`.
    Outcome handle(unsigned caller, cells::CpuSet cell_cpus, const Call& call);

    // Starts CPU `cpu` (an index) at `entry` in whatever cell it belongs to: the cell_start
    // hypercall's path, where the lifecycle has already checked ownership. PSCI return codes.
    int64_t start_cpu(unsigned cpu, uint64_t entry, uint64_t context);
    // The CPUs that are on or starting.
    cells::CpuSet online() const;

    // Boot: CPU `cpu` runs its cell from the start, without a CPU_ON.
    void mark_on(unsigned cpu);
    // A CPU the firmware started claims the cell entry its CPU_ON asked for; false when no
    // start is pending for it (a spurious start: the caller stops the CPU).
    bool claim_start(unsigned cpu, uint64_t& entry, uint64_t& context);
    // The CPU stopped (CPU_OFF, or parked after a fault).
    void mark_off(unsigned cpu);
    CpuPower power(unsigned cpu) const;

  private:
    int64_t cpu_on(cells::CpuSet cell_cpus, uint64_t target, uint64_t entry, uint64_t context);
    int64_t affinity_info(cells::CpuSet cell_cpus, uint64_t target, uint64_t lowest_level);
    static int64_t features(uint64_t function);

    struct CpuState {
        CpuPower power = CpuPower::off;
        uint64_t entry = 0;
        uint64_t context = 0;
    };

    Firmware& firmware_;
    uint64_t hv_secondary_entry_;
    CpuTopology topology_;
    mutable Spinlock lock_;
    CpuState cpus_[cells::cpu_limit];
};

} // namespace hv::arm64::psci
