// The hypervisor's tick: the EL2 physical timer (CNTHP_*, PPI 26) on CPU 0, every
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
// PPI 26 taken on CPU 0 (already acknowledged and its priority dropped): rearms the timer,
// deactivates the interrupt, runs the monitor.
void handle();
// Raises root_notify_sgi on the root cell's CPU 0 (from any CPU).
void notify_root(unsigned this_cpu);

monitor::Monitor& cell_monitor();

} // namespace hv::arm64::tick
