// hv_enter_guest(entry, context, stack_top): leaves the hypervisor for EL1 at `entry` with
// x0 = context, every other general register zero, interrupts masked, and resets this CPU's EL2
// stack to `stack_top` (nothing of the boot path is needed once the cell runs; traps start on an
// empty stack). EL1 state and the stage-2 registers are set up by the caller.
    .section .text, "ax"
    .global hv_enter_guest
hv_enter_guest:
    mov     sp, x2
    msr     elr_el2, x0
    mov     x2, #0x3c5          // SPSR: EL1h, D, A, I, F masked
    msr     spsr_el2, x2
    mov     x0, x1
    mov     x1, xzr
    mov     x2, xzr
    mov     x3, xzr
    mov     x4, xzr
    mov     x5, xzr
    mov     x6, xzr
    mov     x7, xzr
    mov     x8, xzr
    mov     x9, xzr
    mov     x10, xzr
    mov     x11, xzr
    mov     x12, xzr
    mov     x13, xzr
    mov     x14, xzr
    mov     x15, xzr
    mov     x16, xzr
    mov     x17, xzr
    mov     x18, xzr
    mov     x19, xzr
    mov     x20, xzr
    mov     x21, xzr
    mov     x22, xzr
    mov     x23, xzr
    mov     x24, xzr
    mov     x25, xzr
    mov     x26, xzr
    mov     x27, xzr
    mov     x28, xzr
    mov     x29, xzr
    mov     x30, xzr
    eret

// hv_clear_fp_state(): zeroes the FP/SIMD registers, FPCR and FPSR, so that nothing of the cell
// that ran on this CPU before is visible to the next one (the hypervisor itself never uses them:
// -mgeneral-regs-only).
    .global hv_clear_fp_state
hv_clear_fp_state:
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    movi    v\n\().2d, #0
    .endr
    msr     fpcr, xzr
    msr     fpsr, xzr
    ret
