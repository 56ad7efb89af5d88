// The cells the hypervisor runs and the CPUs they run on. Slot 0 is the root cell (from the
// system descriptor); slots 1.. are the cells the root creates through hypercalls. What a cell
// owns and its state live in hv/core (Ownership, Lifecycle); this side holds what the CPU
// needs: the stage-2 tables, and which cell each physical CPU belongs to.
#pragma once

#include <stdint.h>

#include "arch/arm64/psci/emulation.hpp"
#include "arch/arm64/stage2/stage2.hpp"
#include "core/cells/lifecycle.hpp"
#include "core/cells/links.hpp"
#include "core/cells/ownership.hpp"
#include "core/console/cell_console.hpp"

namespace hv::arm64 {

struct RunningCell {
    unsigned slot = 0;
    stage2::Stage2 stage2;
};

// Per physical CPU, reached through TPIDR_EL2.
struct PerCpu {
    unsigned index = 0;
    RunningCell* cell = nullptr; // the cell this CPU belongs to, or nullptr
};

PerCpu& per_cpu(unsigned index);
PerCpu& this_cpu();
void set_this_cpu(unsigned index); // writes TPIDR_EL2

RunningCell& cell_in_slot(unsigned slot);
psci::Emulator& psci_emulator();
psci::SmcFirmware& firmware();
cells::Ownership& ownership();
cells::Lifecycle& lifecycle();
cells::Links& links();
console::CellConsole& cell_console();
// The MPIDR affinity of CPU `cpu` (from the system descriptor).
uint64_t mpidr_of(unsigned cpu);

const char* cell_name(const RunningCell& cell);
// The CPUs the cell owns now (the root cell's shrink while it gives CPUs away).
cells::CpuSet cell_cpus(const RunningCell& cell);

// Registers CPUs `cpus` as belonging to the cell in `slot`.
void assign_cpus(unsigned slot, cells::CpuSet cpus);

// Enters `cell` at EL1 on the calling CPU: stage 2, HCR_EL2 and EL1 reset state, then eret.
[[noreturn]] void enter_cell(const RunningCell& cell, unsigned cpu, uint64_t entry,
                             uint64_t context);

// Stops `cell` from one of its CPUs (the caller, `cpu`) after a fault (CellState::failed) or
// its own power-off (CellState::stopped): records the state, sends the park SGI to the cell's
// other running CPUs, and parks the caller. When no cell is left running, the hypervisor ends
// the run with exit status no_cell_running.
[[noreturn]] void stop_cell_from_this_cpu(RunningCell& cell, unsigned cpu, cells::CellState why);

// The calling CPU leaves its cell for good: marked off, then powered off through the firmware.
[[noreturn]] void park_this_cpu(unsigned cpu);

// Sends the park SGI to every running CPU of `cpus` and waits, bounded, until they are off.
Result<void> park_cpus(cells::CpuSet cpus);

} // namespace hv::arm64
