/* Sizes shared by the start-up assembly and C++ (plain #defines so both can include them). */
#pragma once

/* Most CPUs this build manages; must equal hv::cells::cpu_limit. */
#define HV_CPU_LIMIT 8
/* Stack per CPU: boot path, exception frames and the formatter's buffers fit with room. */
#define HV_STACK_SIZE 0x4000
/* Bytes of a trap frame: x0-x30 and one slot of padding keep sp 16-byte aligned. */
#define HV_TRAP_FRAME_SIZE 256
