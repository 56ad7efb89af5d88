// The hypervisor's tick: the EL2 physical timer (CNTHP_*, PPI 26) on one CPU (CPU 0 from boot;
// when that CPU goes off, the tick moves to another online CPU, a root CPU first), every
// jailconf::comm::hypervisor_tick_ms. Each tick runs the monitor (core/monitor): watchdogs,
// message timeouts, acknowledged shutdowns; kills and stops are reported on the console and the
// root cell is notified with virtual SGI 15 on its CPU 0 (docs/comm-region.md).
#pragma once

#include <stdint.h>

#include "core/monitor/monitor.hpp"

namespace hv::arm64::tick {

// The virtual SGI the root cell receives on its CPU 0 when the hypervisor stopped a cell or a
// cell answered a message.
inline constexpr uint32_t root_notify_sgi = 15;

// CPU 0, once its redistributor is up: arms the first tick and enables PPI 26
// (gic::hyp_timer_ppi, the non-secure EL2 physical timer on QEMU virt and the SBSA).
void start();
// Whether `cpu` carries the tick now.
bool runs_on(unsigned cpu);
// PPI 26 taken on the tick's CPU (already acknowledged and its priority dropped): rearms the
// timer, deactivates the interrupt, runs the monitor and one step of the integrity check.
void handle(unsigned cpu);
// A CPU about to power off (already marked off in PSCI): if it carries the tick, the tick moves
// to another online CPU (told by the kick SGI), or stops when none is online.
void leaving(unsigned cpu);
// On a kick SGI and when a CPU enters a cell: takes the tick if it was handed to this CPU, or if
// no CPU carries it.
void adopt(unsigned cpu);
// Raises root_notify_sgi on the root cell's CPU 0, or its lowest online CPU when CPU 0 is off
// (from any CPU).
void notify_root(unsigned this_cpu);

monitor::Monitor& cell_monitor();

} // namespace hv::arm64::tick
