// The EL2 vector table. Exceptions from the cells (lower EL, AArch64) save the guest's general
// registers in a trap frame on this CPU's stack, call the C++ handler with the frame, and return
// to the guest with whatever the handler left in the frame. Anything taken from EL2 itself is a
// hypervisor bug: it is reported and the machine stops (hv_unexpected_exception never returns).
#include "arch/arm64/boot/layout.h"

.macro save_frame
    sub     sp, sp, #HV_TRAP_FRAME_SIZE
    stp     x0, x1, [sp, #0]
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x19, [sp, #144]
    stp     x20, x21, [sp, #160]
    stp     x22, x23, [sp, #176]
    stp     x24, x25, [sp, #192]
    stp     x26, x27, [sp, #208]
    stp     x28, x29, [sp, #224]
    str     x30, [sp, #240]
.endm

.macro restore_frame_and_return
    ldp     x2, x3, [sp, #16]
    ldp     x4, x5, [sp, #32]
    ldp     x6, x7, [sp, #48]
    ldp     x8, x9, [sp, #64]
    ldp     x10, x11, [sp, #80]
    ldp     x12, x13, [sp, #96]
    ldp     x14, x15, [sp, #112]
    ldp     x16, x17, [sp, #128]
    ldp     x18, x19, [sp, #144]
    ldp     x20, x21, [sp, #160]
    ldp     x22, x23, [sp, #176]
    ldp     x24, x25, [sp, #192]
    ldp     x26, x27, [sp, #208]
    ldp     x28, x29, [sp, #224]
    ldr     x30, [sp, #240]
    ldp     x0, x1, [sp, #0]
    add     sp, sp, #HV_TRAP_FRAME_SIZE
    eret
.endm

// One 128-byte slot per vector; each only branches, the work is below.
.macro vector target
    .balign 0x80
    b       \target
.endm

.macro unexpected kind
unexpected_\kind:
    save_frame
    mov     x0, sp
    mov     x1, #\kind
    bl      hv_unexpected_exception
    b       .
.endm

    .section .text.vectors, "ax"
    .balign 0x800
    .global hv_vectors
hv_vectors:
    // current EL with SP_EL0 (never used by hv)
    vector unexpected_0
    vector unexpected_1
    vector unexpected_2
    vector unexpected_3
    // current EL with SP_EL2: hypervisor faults
    vector unexpected_4
    vector unexpected_5
    vector unexpected_6
    vector unexpected_7
    // lower EL, AArch64: the cells
    vector lower_sync
    vector lower_irq
    vector unexpected_10
    vector lower_serror
    // lower EL, AArch32: cells never run AArch32 (HCR_EL2.RW is set)
    vector unexpected_12
    vector unexpected_13
    vector unexpected_14
    vector unexpected_15

lower_sync:
    save_frame
    mov     x0, sp
    bl      hv_handle_lower_sync
    restore_frame_and_return

lower_irq:
    save_frame
    mov     x0, sp
    bl      hv_handle_lower_irq
    restore_frame_and_return

lower_serror:
    save_frame
    mov     x0, sp
    bl      hv_handle_lower_serror
    restore_frame_and_return

    unexpected 0
    unexpected 1
    unexpected 2
    unexpected 3
    unexpected 4
    unexpected 5
    unexpected 6
    unexpected 7
    unexpected 10
    unexpected 12
    unexpected 13
    unexpected 14
    unexpected 15
