// Names of cell states and failure reasons for an inmate's messages (the root cells print them).
#pragma once

#include <stdint.h>

namespace inmate {

// A jailconf::hypercall::CellState as cell_get_state returns it in x0.
const char* state_name(int64_t state);
// A jailconf::comm::FailureReason (x2 of cell_get_state).
const char* reason_name(uint64_t reason);

} // namespace inmate
