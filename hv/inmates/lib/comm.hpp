// The cell side of the communication region (schema/include/jailconf/comm_region.hpp,
// docs/comm-region.md): beat the watchdog, poll the hypervisor's messages, reply. The hypervisor
// starts a cell that has a comm region with x0 = its guest address (inmate_main's context);
// confgen's planner puts it at guest 0x80000000. Accesses are single aligned loads and stores,
// with barriers where the protocol orders them (reply before reply_seq), so they work with the
// cell's MMU off (device memory) or on.
#pragma once

#include <stdint.h>

#include "jailconf/comm_region.hpp"

namespace inmate::comm {

namespace abi = jailconf::comm;

inline constexpr uint64_t planner_address = 0x80000000;

// Checks the magic and ABI major version at `address`; false when there is no initialised comm
// region there. The other calls need a successful attach.
bool attach(uint64_t address);

// One watchdog beat (the heartbeat counter + 1); returns the new value.
uint64_t beat();

// What the hypervisor says.
abi::CellState state();
uint32_t tick_ms();
uint32_t watchdog_ms();

struct Message {
    uint64_t seq = 0;
    abi::Message kind = abi::Message::none;
    uint32_t timeout_ms = 0;
};
// A message posted since the last one this cell replied to, if any.
bool poll(Message& out);
// Answers `m` (acknowledge: the hypervisor stops the cell at its next tick).
void reply(const Message& m, abi::Reply answer);

} // namespace inmate::comm
