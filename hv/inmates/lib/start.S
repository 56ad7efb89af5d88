// Inmate start-up at EL1, MMU off. The hypervisor enters the first CPU at the image start
// (_start, x0 = 0); further CPUs come in at inmate_secondary_start through PSCI CPU_ON, with
// x0 = the context the caller passed. Each CPU takes the stack slot of its MPIDR Aff0.
    .equ    STACK_SIZE, 0x2000
    .equ    MAX_CPUS, 8

    .section .text.start, "ax"
    .global _start
_start:
    mrs     x20, cntvct_el0     // the first instruction's time, for the boot benchmark
    msr     daifset, #0xf
    mov     x19, x0
    bl      set_stack_and_vectors
    adrp    x1, __bss_start
    add     x1, x1, :lo12:__bss_start
    adrp    x2, __bss_end
    add     x2, x2, :lo12:__bss_end
1:  cmp     x1, x2
    b.hs    2f
    stp     xzr, xzr, [x1], #16
    b       1b
2:  adrp    x1, inmate_start_counter
    str     x20, [x1, :lo12:inmate_start_counter]
    bl      inmate_runtime_init
    mov     x0, x19
    bl      inmate_main
    b       inmate_halt

    .global inmate_secondary_start
inmate_secondary_start:
    msr     daifset, #0xf
    mov     x19, x0
    bl      set_stack_and_vectors
    mov     x0, x19
    bl      inmate_secondary_main
    b       inmate_halt

// sp = top of the slot for this CPU's Aff0; VBAR_EL1 = inmate_vectors. Clobbers x0-x2.
set_stack_and_vectors:
    mrs     x0, mpidr_el1
    and     x0, x0, #(MAX_CPUS - 1)
    adrp    x1, inmate_stacks
    add     x1, x1, :lo12:inmate_stacks
    mov     x2, #STACK_SIZE
    madd    x1, x0, x2, x1
    add     sp, x1, x2
    adrp    x0, inmate_vectors
    add     x0, x0, :lo12:inmate_vectors
    msr     vbar_el1, x0
    isb
    ret

    .global inmate_halt
inmate_halt:
    wfi
    b       inmate_halt

// Any other exception at EL1 is a bug in the inmate: report the vector slot and stop. An IRQ
// goes to inmate_irq (gic.cpp) with the caller-saved registers saved; an SVC returns at once (the
// bare-metal counterpart of a null hypercall, bench/).
.macro slot n
    .balign 0x80
    mov     x0, #\n
    b       inmate_exception
.endm
    .balign 0x800
inmate_vectors:
    .irp n, 0,1,2,3
    slot \n
    .endr
    .balign 0x80                // current EL, SP_ELx, synchronous
    stp     x0, x1, [sp, #-16]!
    mrs     x0, esr_el1
    lsr     x0, x0, #26
    cmp     x0, #0x15           // SVC64
    b.ne    1f
    ldp     x0, x1, [sp], #16
    eret
1:  cbz     x0, probe_undefined // EC 0: an UNDEFINED instruction, maybe the presence probe's HVC
sync_report:
    ldp     x0, x1, [sp], #16
    mov     x0, #4
    b       inmate_exception
    .balign 0x80                // current EL, SP_ELx, IRQ
    b       irq_entry
    .irp n, 6,7,8,9,10,11,12,13,14,15
    slot \n
    .endr

// inmates/lib/presence.cpp's probing HVC on a machine whose EL2 leaves it UNDEFINED: step over
// it and answer -1 (SMCCC's "unknown function"). Any other UNDEFINED instruction is reported.
probe_undefined:
    adrp    x0, inmate_probe_armed
    ldr     x0, [x0, :lo12:inmate_probe_armed]
    cbz     x0, sync_report
    mrs     x0, elr_el1
    add     x0, x0, #4
    msr     elr_el1, x0
    ldp     x0, x1, [sp], #16
    mov     x0, #-1
    eret

irq_entry:
    sub     sp, sp, #176
    stp     x0, x1, [sp, #0]
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x29, [sp, #144]
    str     x30, [sp, #160]
    bl      inmate_irq
    ldp     x2, x3, [sp, #16]
    ldp     x4, x5, [sp, #32]
    ldp     x6, x7, [sp, #48]
    ldp     x8, x9, [sp, #64]
    ldp     x10, x11, [sp, #80]
    ldp     x12, x13, [sp, #96]
    ldp     x14, x15, [sp, #112]
    ldp     x16, x17, [sp, #128]
    ldp     x18, x29, [sp, #144]
    ldr     x30, [sp, #160]
    ldp     x0, x1, [sp, #0]
    add     sp, sp, #176
    eret

    .section .bss.start_counter, "aw", %nobits
    .balign 8
    .global inmate_start_counter
inmate_start_counter:
    .space  8

    .section .bss.stacks, "aw", %nobits
    .balign 16
inmate_stacks:
    .space  MAX_CPUS * STACK_SIZE
