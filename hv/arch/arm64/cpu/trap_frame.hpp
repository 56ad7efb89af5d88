// The guest registers saved by exceptions/vectors.S on entry to EL2 from a cell.
#pragma once

#include <stdint.h>

#include "arch/arm64/boot/layout.h"

namespace hv::arm64 {

struct TrapFrame {
    uint64_t x[31];
    uint64_t padding;
};
static_assert(sizeof(TrapFrame) == HV_TRAP_FRAME_SIZE, "vectors.S frame layout");

} // namespace hv::arm64
