#include "cell_names.hpp"

#include "jailconf/comm_region.hpp"
#include "jailconf/hypercall.hpp"

namespace inmate {

const char* state_name(int64_t state) {
    using jailconf::hypercall::CellState;
    switch (CellState(state)) {
    case CellState::absent:
        return "absent";
    case CellState::created:
        return "created";
    case CellState::running:
        return "running";
    case CellState::stopped:
        return "stopped";
    case CellState::failed:
        return "failed";
    }
    return "?";
}

const char* reason_name(uint64_t reason) {
    using jailconf::comm::FailureReason;
    switch (FailureReason(reason)) {
    case FailureReason::none:
        return "none";
    case FailureReason::fault:
        return "fault";
    case FailureReason::watchdog:
        return "watchdog";
    case FailureReason::no_reply:
        return "no reply";
    }
    return "?";
}

} // namespace inmate
