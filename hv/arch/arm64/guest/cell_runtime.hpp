// The cells the hypervisor runs and the CPUs they run on. This round only the root cell exists;
// the table already holds one entry per cell so that create/destroy can fill it later.
#pragma once

#include <stdint.h>

#include "arch/arm64/psci/emulation.hpp"
#include "arch/arm64/stage2/stage2.hpp"
#include "core/cells/cell_config.hpp"

namespace hv::arm64 {

struct RunningCell {
    cells::CellConfig config;
    stage2::Stage2 stage2;
    bool stopped = false;
};

// Per physical CPU, reached through TPIDR_EL2.
struct PerCpu {
    unsigned index = 0;
    RunningCell* cell = nullptr; // the cell this CPU belongs to, or nullptr
};

PerCpu& per_cpu(unsigned index);
PerCpu& this_cpu();
void set_this_cpu(unsigned index); // writes TPIDR_EL2

psci::Emulator& psci_emulator();
psci::SmcFirmware& firmware();

// Registers `cell` as running on its CPUs.
void install_cell(RunningCell& cell);

// Enters `cell` at EL1 on the calling CPU: stage 2, HCR_EL2 and EL1 reset state, then eret.
[[noreturn]] void enter_cell(const RunningCell& cell, unsigned cpu, uint64_t entry,
                             uint64_t context);

// Stops `cell` after a fault on CPU `cpu` (the caller): the CPU is parked (powered off through
// the firmware). When no cell is left running, the hypervisor ends the run with exit status
// no_cell_running.
[[noreturn]] void stop_cell_on_this_cpu(RunningCell& cell, unsigned cpu);

} // namespace hv::arm64
